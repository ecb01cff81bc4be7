import type { Writable } from "node:stream";
import type { NextFunction, Request, Response, Router } from "express";
import type { z } from "zod";
import type { Actor } from "../audit/index.ts";
import type { Tenant } from "../generated/prisma/client.ts";
import type { Deps } from "../platform/deps.ts";
import { AppError } from "../platform/errors.ts";
import { tenantOf } from "../platform/http/resolve-tenant.ts";
import { sendPdf } from "../platform/http/send-pdf.ts";
import type { ApiPrincipal } from "./api-token.ts";
import { withIdempotency, type IdempotentAnswer } from "./idempotency.ts";
import { spoolUpload, type SpooledUpload } from "./multipart-upload.ts";

/** The client roles of the API audience (Keycloak client roles of `pontepa-api`). */
export type ApiRole = "positions.read" | "positions.write" | "receipts.read" | "payments.write";

/** A description in both languages of the documentation. */
export interface Bilingual {
  it: string;
  en: string;
}

export type HttpMethod = "get" | "post" | "put" | "patch" | "delete";
export const WRITE_METHODS: ReadonlySet<HttpMethod> = new Set(["post", "put", "patch"]);

export interface OperationContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  tenant: Tenant;
  principal: ApiPrincipal;
  deps: Deps;
  requestId?: string;
  /** An `upload` operation's file, read into a temporary file (removed when the request ends). */
  upload?: SpooledUpload;
}

/** A file streamed as it is produced (exports, outcome files): never held whole in memory. */
export interface StreamedFile {
  fileName: string;
  contentType: string;
  write(out: Writable): Promise<void>;
}

/** A JSON answer (validated against the response schema of its status) or a PDF. */
export type OperationResult =
  { status: number; body: unknown } | { pdf: { fileName: string; pdf: Buffer } } | { file: StreamedFile };

export interface ResponseSpec {
  description: Bilingual;
  /** JSON body; absent with `pdf` or for an empty answer. */
  schema?: z.ZodType;
  pdf?: true;
  /** A streamed file of one of these media types (CSV, XLSX). */
  file?: readonly string[];
}

type AnyObject = z.ZodObject<z.ZodRawShape>;

/**
 * One API operation: the route Express serves and the path the OpenAPI document describes come
 * from this one object, so the document cannot drift from what the server validates.
 */
export interface Operation<
  P extends AnyObject = AnyObject,
  Q extends AnyObject = AnyObject,
  B extends z.ZodType = z.ZodType,
> {
  operationId: string;
  method: HttpMethod;
  /** Relative to `/api/v1`, in Express syntax (`/tenants/:ipa/positions/:positionId`). */
  path: string;
  tag: string;
  summary: Bilingual;
  description?: Bilingual;
  role: ApiRole;
  params: P;
  query?: Q;
  body?: B;
  /** A multipart/form-data upload of one file in this field (the handler finds it in `upload`). */
  upload?: {
    field: string;
    description: Bilingual;
    /** The most bytes this file may have (IMPORT_MAX_BYTES unless said): one more is kept, for the 413. */
    maxBytes?: (config: Deps["config"]) => number;
  };
  /** An example request body for the documentation. */
  example?: unknown;
  responses: Record<number, ResponseSpec>;
  handle(ctx: OperationContext<z.output<P>, z.output<Q>, z.output<B>>): Promise<OperationResult>;
}

/** Who the audit log and the outbox name for an API write: the calling client. */
export const machineActor = (ctx: Pick<OperationContext<unknown, unknown, unknown>, "principal">): Actor => ({
  type: "machine",
  id: ctx.principal.clientId,
});

export function defineOperation<P extends AnyObject, Q extends AnyObject, B extends z.ZodType>(
  op: Operation<P, Q, B>,
): Operation {
  return op as unknown as Operation;
}

/** Serialises an answer through its response schema: what leaves the server is what the document says. */
function answer(op: Operation, result: { status: number; body: unknown }): IdempotentAnswer {
  const spec = op.responses[result.status];
  if (!spec) throw new Error(`${op.operationId} answered ${result.status}, which it does not document`);
  return { status: result.status, body: spec.schema ? spec.schema.parse(result.body) : (result.body ?? null) };
}

/**
 * Registers every operation on the tenant router: the client role, then zod on path, query and
 * body (400 problem+json), then, on writes, the Idempotency-Key (a repeat replays the first
 * answer), then the handler.
 */
export function mountOperations(router: Router, basePath: string, operations: readonly Operation[], deps: Deps): void {
  for (const op of operations) {
    if (!op.path.startsWith(basePath)) throw new Error(`${op.operationId}: ${op.path} is not under ${basePath}`);
    const path = op.path.slice(basePath.length) || "/";
    router[op.method](path, async (req: Request, res: Response, next: NextFunction) => {
      const principal = res.locals.apiPrincipal as ApiPrincipal;
      if (!principal.roles.has(op.role))
        return next(new AppError("FORBIDDEN", `This client lacks the role ${op.role}`, 403));
      const ctx = {
        params: op.params.parse(req.params),
        query: op.query ? op.query.parse(req.query) : {},
        body: op.body ? op.body.parse(req.body ?? {}) : undefined,
        tenant: tenantOf(res),
        principal,
        deps,
        requestId: req.id ? String(req.id) : undefined,
        // Read before the key is claimed, so the key is bound to the file's bytes (a hash).
        upload: op.upload
          ? await spoolUpload(req, op.upload.field, op.upload.maxBytes?.(deps.config) ?? deps.config.IMPORT_MAX_BYTES)
          : undefined,
      };
      try {
        await runOperation(op, ctx, req, res, deps, principal);
      } finally {
        await ctx.upload?.dispose();
      }
    });
  }
}

async function runOperation(
  op: Operation,
  ctx: OperationContext<unknown, unknown, unknown> & { tenant: Tenant },
  req: Request,
  res: Response,
  deps: Deps,
  principal: ApiPrincipal,
): Promise<void> {
  type Sent = IdempotentAnswer | { pdf: { fileName: string; pdf: Buffer } } | { file: StreamedFile };
  const run = async (): Promise<Sent> => {
    const result = await op.handle(ctx as never);
    return "pdf" in result || "file" in result ? result : answer(op, result);
  };
  const key = req.get("Idempotency-Key");
  const result =
    WRITE_METHODS.has(op.method) && key !== undefined
      ? await withIdempotency(
          deps.db,
          {
            tenantId: ctx.tenant.id,
            clientId: principal.clientId,
            key,
            // An upload stands for its file's name and content hash (the multipart body
            // around it differs between two sends of the same file: its boundary).
            fingerprint: {
              method: op.method,
              path: req.originalUrl.split("?")[0],
              body: ctx.upload ? { fileName: ctx.upload.fileName, sha256: ctx.upload.sha256 } : (req.body ?? null),
            },
          },
          run as () => Promise<IdempotentAnswer>,
          (replayed) => res.set("Idempotent-Replayed", String(replayed)),
        )
      : await run();
  if ("pdf" in result) return sendPdf(res, result.pdf);
  if ("file" in result) return sendFile(res, result.file);
  res.status(result.status);
  if (result.body === null) res.end();
  else res.json(result.body);
}

/** Streams a file answer; a failure after the first byte can only cut the connection. */
async function sendFile(res: Response, file: StreamedFile): Promise<void> {
  res.status(200).type(file.contentType).attachment(file.fileName);
  try {
    await file.write(res);
  } catch (err) {
    if (!res.headersSent) throw err;
    res.destroy(err as Error);
  }
}
