import { randomUUID } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { pinoHttp } from "pino-http";
import type { RequestHandler } from "express";
import type { Logger } from "../observability/logger.ts";

const SAFE_ID = /^[\w.:-]{1,64}$/;

/** The request id: the caller's X-Request-Id when it is safe to log and echo, a new one otherwise. */
export function requestIdOf(headers: IncomingHttpHeaders): string {
  const incoming = headers["x-request-id"];
  return typeof incoming === "string" && SAFE_ID.test(incoming) ? incoming : randomUUID();
}

/**
 * Request id (taken from X-Request-Id when it is safe, generated otherwise, echoed back) and a
 * child logger per request carrying it.
 */
export function requestContext(logger: Logger): RequestHandler {
  return pinoHttp({
    logger,
    genReqId(req, res) {
      const id = requestIdOf(req.headers);
      res.setHeader("X-Request-Id", id);
      return id;
    },
    customLogLevel(_req, res, err) {
      if (err || res.statusCode >= 500) return "error";
      return res.statusCode >= 400 ? "info" : "debug";
    },
    serializers: {
      req: (req: { id: unknown; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        url: req.url.split("?")[0],
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  });
}
