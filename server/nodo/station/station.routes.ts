import { readFileSync } from "node:fs";
import express, { Router, type ErrorRequestHandler, type Request } from "express";
import type { Metrics } from "../../platform/observability/metrics.ts";
import type { JournalWriter } from "../journal/index.ts";
import { handleStationRequest, type StationAnswer, type StationSettings } from "./handle-request.ts";
import type { StationDeps } from "./operation.ts";
import { soapFault } from "./soap-messages.ts";
import { escapeXml } from "./xml.ts";

export const STATION_PATH = "/nodo/paForNode";
const CONTRACT = new URL("../contract/", import.meta.url);
const XML = "text/xml; charset=utf-8";

export interface StationRouteOptions extends StationSettings {
  bodyLimitBytes: number;
  journal: JournalWriter;
  metrics: Metrics;
}

// SOAP 1.1 travels as text/xml; application/xml is tolerated. SOAP 1.2 (application/soap+xml)
// and anything else are refused before the body is read.
const ACCEPTED_TYPES = new Set(["text/xml", "application/xml"]);
const ACCEPTED_CHARSETS = new Set(["utf-8", "utf8", "us-ascii"]);

function contentTypeProblem(req: Request): string | null {
  const header = req.headers["content-type"];
  if (!header) return "Content-Type mancante: usare text/xml (SOAP 1.1)";
  const [type, ...params] = header.split(";").map((s) => s.trim().toLowerCase());
  if (!ACCEPTED_TYPES.has(type!)) return `Content-Type ${type} non supportato: usare text/xml (SOAP 1.1)`;
  const charset = params.find((p) => p.startsWith("charset="))?.slice(8).replace(/"/g, "");
  if (charset && !ACCEPTED_CHARSETS.has(charset)) return `charset ${charset} non supportato: usare UTF-8`;
  return null;
}

/**
 * The paForNode endpoint of the `soap` role: `POST /nodo/paForNode` for the operations and
 * `GET /nodo/paForNode?wsdl` (and `?xsd=pa-for-node.xsd`) for the project's own contract.
 */
export function stationRoutes(deps: StationDeps, options: StationRouteOptions): Router {
  const wsdl = readFileSync(new URL("pa-for-node.wsdl", CONTRACT), "utf8");
  const xsd = readFileSync(new URL("pa-for-node.xsd", CONTRACT), "utf8");
  const router = Router();

  const finish = (req: Request, res: express.Response, started: number, answer: StationAnswer, requestXml: string | null) => {
    res.status(answer.status).type(XML).send(answer.xml);
    options.metrics.nodoAnswers.inc({ operation: answer.operation, outcome: answer.outcome });
    options.journal.write({
      tenantId: answer.tenantId,
      direction: "IN",
      operation: answer.operation,
      stationCode: answer.stationCode,
      nav: answer.keys.nav ?? null,
      iuv: answer.keys.iuv ?? null,
      receiptId: answer.keys.receiptId ?? null,
      outcome: answer.outcome === "OK" ? "OK" : answer.outcome.startsWith("PAA_") ? "KO" : "FAULT",
      faultCode: answer.outcome === "OK" ? null : answer.outcome,
      durationMs: Date.now() - started,
      requestId: String(req.id ?? ""),
      requestXml,
      responseXml: answer.xml,
      createdAt: new Date(started),
    });
  };
  const refuse = (req: Request, res: express.Response, started: number, status: number, message: string) =>
    finish(req, res, started, { status, xml: soapFault("Client", message), operation: "unknown", outcome: `HTTP_${status}`, tenantId: null, stationCode: null, keys: {} }, null);

  router.get(STATION_PATH, (req, res) => {
    if ("wsdl" in req.query) {
      const location = escapeXml(`${req.protocol}://${req.get("host") ?? "localhost"}${STATION_PATH}`);
      res.type(XML).send(wsdl.replace("__STATION_LOCATION__", location));
    } else if (req.query.xsd === "pa-for-node.xsd") {
      res.type(XML).send(xsd);
    } else {
      res.status(404).type(XML).send(soapFault("Client", "Usare ?wsdl oppure POST"));
    }
  });

  router.post(
    STATION_PATH,
    (req, res, next) => {
      res.locals.started = Date.now();
      const problem = contentTypeProblem(req);
      if (problem) return refuse(req, res, res.locals.started, 415, problem);
      next();
    },
    express.raw({ type: () => true, limit: options.bodyLimitBytes }),
    async (req, res) => {
      const started = res.locals.started as number;
      let xml: string;
      try {
        xml = new TextDecoder("utf-8", { fatal: true }).decode(req.body as Buffer).replace(/^\uFEFF/, "");
      } catch {
        return refuse(req, res, started, 400, "Corpo della richiesta non in UTF-8");
      }
      const answer = await handleStationRequest(deps, options, {
        xml,
        requestId: String(req.id ?? ""),
        caller: { ip: req.ip ?? req.socket.remoteAddress ?? "", headers: req.headers },
      });
      finish(req, res, started, answer, xml);
    },
  );

  const onError: ErrorRequestHandler = (err: { status?: number; type?: string }, req, res, next) => {
    if (res.headersSent) return next(err);
    const status = err.status && err.status >= 400 && err.status < 500 ? err.status : 500;
    const message = err.type === "entity.too.large" ? "Richiesta troppo grande" : "Richiesta non leggibile";
    refuse(req, res, (res.locals.started as number | undefined) ?? Date.now(), status, message);
  };
  router.use(onError);
  return router;
}
