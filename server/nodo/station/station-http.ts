import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { clientAddress, fromTrustedProxy } from "../../platform/http/client-address.ts";
import type { Logger } from "../../platform/observability/logger.ts";
import { requestIdOf } from "../../platform/http/request-context.ts";
import { handleStationRequest, type StationAnswer } from "./handle-request.ts";
import type { StationDeps } from "./operation.ts";
import {
  contentTypeProblem,
  decodeBody,
  recordAnswer,
  refusal,
  STATION_PATH,
  XML,
  type StationRouteOptions,
} from "./station-exchange.ts";

export interface StationHttpOptions extends StationRouteOptions {
  logger: Logger;
}

const EMPTY = new Uint8Array(0);

/** Whether the lean handler answers this request (everything else goes to Express). */
function isStationPost(req: IncomingMessage): boolean {
  if (req.method !== "POST") return false;
  const url = req.url ?? "";
  // Compressed bodies go to Express, whose body parser inflates them (the Nodo sends none).
  return (url === STATION_PATH || url.startsWith(`${STATION_PATH}?`)) && req.headers["content-encoding"] === undefined;
}

/**
 * `POST /nodo/paForNode` served straight from node:http, in front of the Express application
 * that serves everything else of the soap role (`/healthz`, `/readyz`, `/metrics`, the WSDL).
 * The Nodo calls it for every payment of every council, and the Express layers (router, body
 * parser, per-request child logger, response helpers) cost about a tenth of the station's CPU
 * per answer (docs/benchmarks.md). What they did for this route is done here, the same way:
 * request id (X-Request-Id in and out), Content-Type check before reading, body limit (a
 * declared length over it is refused unread, a streamed body as soon as it passes it), UTF-8
 * check, the request-completed log line at pino-http's levels, the timing metric, the journal.
 */
export function stationHttpHandler(
  deps: StationDeps,
  options: StationHttpOptions,
  next: RequestListener,
): RequestListener {
  const limit = options.bodyLimitBytes;
  const durations = new Map<number, { observe(seconds: number): void }>();
  const timer = (status: number) => {
    let child = durations.get(status);
    if (!child)
      durations.set(
        status,
        (child = options.metrics.httpDuration.labels({ method: "POST", route: STATION_PATH, status: String(status) })),
      );
    return child;
  };

  const serve = (req: IncomingMessage, res: ServerResponse) => {
    const started = Date.now();
    const t0 = performance.now();
    const requestId = requestIdOf(req.headers);
    let replied = false;

    const reply = (answer: StationAnswer, requestXml: string | null) => {
      if (replied) return;
      replied = true;
      res.writeHead(answer.status, {
        "Content-Type": XML,
        "Content-Length": Buffer.byteLength(answer.xml),
        "X-Request-Id": requestId,
      });
      res.end(answer.xml);
      recordAnswer(options, answer, started, requestId, requestXml);
      const ms = performance.now() - t0;
      timer(answer.status).observe(ms / 1000);
      const level = answer.status >= 500 ? "error" : answer.status >= 400 ? "info" : "debug";
      if (options.logger.isLevelEnabled(level)) {
        options.logger[level](
          {
            req: { id: requestId, method: "POST", url: STATION_PATH },
            res: { statusCode: answer.status },
            responseTime: Math.round(ms),
          },
          "request completed",
        );
      }
    };
    const answer = async (body: Uint8Array) => {
      const xml = decodeBody(body);
      if (xml === null) return reply(refusal(400, "Corpo della richiesta non in UTF-8"), null);
      const caller = {
        ip: clientAddress(req, options.trust),
        viaTrustedProxy: fromTrustedProxy(req, options.trust),
        headers: req.headers,
      };
      reply(await handleStationRequest(deps, options, { xml, requestId, caller }), xml);
    };

    const problem = contentTypeProblem(req.headers);
    if (problem) return reply(refusal(415, problem), null);
    const declared = req.headers["content-length"];
    if (declared !== undefined && Number(declared) > limit) return reply(refusal(413, "Richiesta troppo grande"), null);

    // Read by hand: past the limit nothing more is kept and the answer goes out at once (Node
    // then reads the rest off the wire and drops it, as it does after Express's 413; the
    // server's requestTimeout bounds a body that never ends).
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      if (replied) return;
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        reply(refusal(413, "Richiesta troppo grande"), null);
      } else {
        chunks.push(chunk);
      }
    });
    req.on("end", () => {
      if (replied) return;
      const body = chunks.length === 1 ? chunks[0]! : size === 0 ? EMPTY : Buffer.concat(chunks, size);
      answer(body).catch((err: unknown) => {
        deps.logger.error({ err, requestId }, "nodo station request failed");
        reply(refusal(500, "Richiesta non leggibile"), null);
      });
    });
    // A body cut short (the caller went away): journalled like Express's "request aborted".
    req.on("error", () => reply(refusal(400, "Richiesta non leggibile"), null));
  };

  return (req, res) => {
    if (isStationPost(req)) serve(req, res);
    else next(req, res);
  };
}
