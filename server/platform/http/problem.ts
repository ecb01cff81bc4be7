import type { ErrorRequestHandler, RequestHandler } from "express";
import { ZodError } from "zod";
import { AppError } from "../errors.ts";

/** RFC 9457 problem details, the body of every error answer of the HTTP API. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: string;
  instance?: string;
  errors?: Array<{ path: string; message: string }>;
}

const TITLES: Record<number, string> = {
  400: "Richiesta non valida",
  401: "Autenticazione richiesta",
  403: "Accesso negato",
  404: "Risorsa non trovata",
  409: "Conflitto",
  413: "Richiesta troppo grande",
  415: "Tipo di contenuto non supportato",
  429: "Troppe richieste",
  500: "Errore interno",
  503: "Servizio non disponibile",
};

export function toProblem(err: unknown, instance?: string): Problem {
  if (err instanceof AppError) {
    return {
      type: `https://pontepa.example/problems/${err.code.toLowerCase()}`,
      title: TITLES[err.status] ?? "Errore",
      status: err.status,
      detail: err.message,
      code: err.code,
      instance,
    };
  }
  if (err instanceof ZodError) {
    return {
      type: "https://pontepa.example/problems/validation",
      title: TITLES[400]!,
      status: 400,
      detail: "I dati inviati non sono validi",
      code: "VALIDATION_FAILED",
      instance,
      errors: err.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    };
  }
  // body-parser and friends signal client errors with status/type.
  const status = typeof (err as { status?: unknown })?.status === "number" ? (err as { status: number }).status : 500;
  if (status >= 400 && status < 500) {
    return {
      type: "https://pontepa.example/problems/http",
      title: TITLES[status] ?? "Richiesta non valida",
      status,
      detail: (err as Error).message,
      code: String((err as { type?: string }).type ?? "BAD_REQUEST")
        .toUpperCase()
        .replace(/\W+/g, "_"),
      instance,
    };
  }
  return { type: "about:blank", title: TITLES[500]!, status: 500, code: "INTERNAL", instance };
}

/** Express error handler: logs server faults, answers application/problem+json. */
export const problemHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const problem = toProblem(err, req.originalUrl);
  if (problem.status >= 500) req.log?.error({ err }, "request failed");
  else req.log?.info({ code: problem.code, status: problem.status }, "request refused");
  if (res.headersSent) return;
  res.status(problem.status).type("application/problem+json").json(problem);
};

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new AppError("NOT_FOUND", `No route for ${req.method} ${req.path}`, 404));
};
