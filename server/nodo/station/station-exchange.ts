import type { IncomingHttpHeaders } from "node:http";
import type { TrustFn } from "../../platform/http/client-address.ts";
import type { Metrics } from "../../platform/observability/metrics.ts";
import type { JournalWriter } from "../journal/index.ts";
import type { StationAnswer, StationSettings } from "./handle-request.ts";
import { soapFault } from "./soap-messages.ts";

// What both doors to `POST /nodo/paForNode` share: the lean node:http handler that serves it
// (station-http.ts) and the Express route that still takes the rare requests it hands over
// (station.routes.ts). One place, so the two cannot drift apart on the checks or the journal.

export const STATION_PATH = "/nodo/paForNode";
export const XML = "text/xml; charset=utf-8";

export interface StationRouteOptions extends StationSettings {
  bodyLimitBytes: number;
  /** TRUST_PROXY compiled (client-address.ts): who may set X-Forwarded-For and the certificate header. */
  trust: TrustFn;
  journal: JournalWriter;
  metrics: Metrics;
}

// SOAP 1.1 travels as text/xml; application/xml is tolerated. SOAP 1.2 (application/soap+xml)
// and anything else are refused before the body is read.
const ACCEPTED_TYPES = new Set(["text/xml", "application/xml"]);
const ACCEPTED_CHARSETS = new Set(["utf-8", "utf8", "us-ascii"]);

/** Why the request's Content-Type is refused (415), or null when it is acceptable. */
export function contentTypeProblem(headers: IncomingHttpHeaders): string | null {
  const header = headers["content-type"];
  if (!header) return "Content-Type mancante: usare text/xml (SOAP 1.1)";
  const [type, ...params] = header.split(";").map((s) => s.trim().toLowerCase());
  if (!ACCEPTED_TYPES.has(type!)) return `Content-Type ${type} non supportato: usare text/xml (SOAP 1.1)`;
  const charset = params
    .find((p) => p.startsWith("charset="))
    ?.slice(8)
    .replace(/"/g, "");
  if (charset && !ACCEPTED_CHARSETS.has(charset)) return `charset ${charset} non supportato: usare UTF-8`;
  return null;
}

// One decoder for the process: decode() without `stream` keeps no state between calls.
const UTF8 = new TextDecoder("utf-8", { fatal: true });

/** The body as text, a leading byte-order mark dropped; null when it is not UTF-8. */
export function decodeBody(body: Uint8Array | undefined): string | null {
  try {
    return UTF8.decode(body).replace(/^\uFEFF/, "");
  } catch {
    return null;
  }
}

/** The answer to a request refused before any operation could be named (a SOAP Fault). */
export function refusal(status: number, message: string): StationAnswer {
  return {
    status,
    xml: soapFault("Client", message),
    operation: "unknown",
    outcome: `HTTP_${status}`,
    tenantId: null,
    stationCode: null,
    keys: {},
    authenticated: false,
  };
}

/**
 * What the journal keeps of a request whose caller was not authenticated (refused, unrouted,
 * unparsable): enough to see what arrived, not a megabyte per anonymous POST.
 */
export const UNAUTHENTICATED_EXCERPT_CHARS = 2_048;

/**
 * Counts the answer and queues its journal entry (written off the answer's path); the raw
 * request in full only when its caller passed the station's protections.
 */
export function recordAnswer(
  options: StationRouteOptions,
  answer: StationAnswer,
  started: number,
  requestId: string,
  requestXml: string | null,
): void {
  options.metrics.nodoAnswers.inc({ operation: answer.operation, outcome: answer.outcome });
  if (answer.operation === "paSendRTV2" && answer.outcome === "OK" && answer.tenantId) {
    options.metrics.receiptsAcknowledged.inc({ tenant: answer.tenantId });
  }
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
    requestId,
    requestXml:
      answer.authenticated || requestXml === null || requestXml.length <= UNAUTHENTICATED_EXCERPT_CHARS
        ? requestXml
        : requestXml.slice(0, UNAUTHENTICATED_EXCERPT_CHARS),
    responseXml: answer.xml,
    createdAt: new Date(started),
  });
}
