import type { z } from "zod";
import { EnvelopeError, PA_FOR_NODE_NS, parseEnvelope } from "./envelope.ts";
import { faultFromError, FAULT_STRINGS, type FaultBody } from "./faults.ts";
import type { MessageKeys, StationDeps } from "./operation.ts";
import { OPERATIONS } from "./operations.ts";
import { routeRequest, type RoutingProgress } from "./route-request.ts";
import { koResponse, okResponse, soapFault } from "./soap-messages.ts";
import { checkStationAccess, StationAccessDenied, type Caller } from "./station-guard.ts";

export interface StationSettings {
  /** The answer is given by then at the latest (PAA_SYSTEM_ERROR if the work is not done). */
  answerTimeoutMs: number;
  /** Header in which the TLS-terminating proxy passes the client certificate's fingerprint. */
  clientCertHeader: string;
  /** Refuse stations with no caller authentication (certificate or key): true in production. */
  requireCallerAuthentication: boolean;
}

export interface StationRequest {
  xml: string;
  caller: Caller;
  requestId: string;
}

/** The answer and what the journal and the metrics record about it. */
export interface StationAnswer {
  status: number;
  xml: string;
  operation: string;
  /** "OK", a PAA_* fault code, or SOAP_FAULT / FORBIDDEN. */
  outcome: string;
  tenantId: string | null;
  stationCode: string | null;
  keys: MessageKeys;
  /**
   * The caller passed a station's protections (in production: a certificate or key). Only then
   * does the journal keep the raw request in full; anything else keeps a short excerpt.
   */
  authenticated: boolean;
}

class Deadline extends Error {}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join(".") || "(radice)"}: ${issue.message}` : "richiesta non valida";
}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Deadline("answer deadline reached")), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/**
 * Answers one paForNode request: envelope → operation → XSD (zod) → extra rules → routing and
 * station protections → the use case, all under one deadline. Business outcomes are SOAP
 * responses with outcome KO and a ctFaultBean (HTTP 200); only envelopes too broken to name an
 * operation get a SOAP Fault. Nothing thrown escapes: the worst case is PAA_SYSTEM_ERROR.
 */
export async function handleStationRequest(
  deps: StationDeps,
  settings: StationSettings,
  req: StationRequest,
): Promise<StationAnswer> {
  const started = Date.now();
  let parsed;
  try {
    parsed = parseEnvelope(req.xml);
  } catch (err) {
    const e = err instanceof EnvelopeError ? err : new EnvelopeError("MALFORMED", "Unreadable request");
    const code = e.problem === "VERSION" ? "VersionMismatch" : "Client";
    return protocolFault(e.problem === "DTD" ? 400 : 500, code, e.message);
  }
  const op = OPERATIONS.get(parsed.element);
  if (!op) return protocolFault(500, "Client", `Unknown operation element ${parsed.element}`);

  const progress: RoutingProgress = {};
  const payload = parsed.payload as Record<string, unknown>;
  const answer = (outcome: string, xml: string, keys: MessageKeys, status = 200): StationAnswer => ({
    status,
    xml,
    outcome,
    keys,
    operation: op.name,
    tenantId: progress.tenant?.id ?? null,
    stationCode: progress.stationCode ?? null,
    authenticated: progress.authenticated === true,
  });
  const ko = (fault: FaultBody, keys: MessageKeys = {}) => {
    const fallback = [payload?.idBrokerPA, payload?.idPA].find(
      (v): v is string => typeof v === "string" && /^\d{11}$/.test(v),
    );
    const id = progress.tenant?.fiscalCode ?? progress.intermediaryFiscalCode ?? fallback ?? "";
    return answer(fault.faultCode, koResponse(op.responseElement, fault, id), keys);
  };
  const fault = (code: keyof typeof FAULT_STRINGS, description: string) =>
    ko({ faultCode: code, faultString: FAULT_STRINGS[code], description });

  if (parsed.namespace !== PA_FOR_NODE_NS)
    return fault("PAA_SINTASSI_XSD", `${parsed.element}: namespace atteso ${PA_FOR_NODE_NS}`);
  const valid = op.schema.safeParse(payload);
  if (!valid.success) return fault("PAA_SINTASSI_XSD", firstIssue(valid.error));
  const request = valid.data;
  const keys = op.keys(request);
  const extra = op.extraRules(request);
  if (extra) return fault("PAA_SINTASSI_EXTRAXSD", extra);

  try {
    const work = (async () => {
      const route = await routeRequest(
        deps.db,
        request,
        (station) =>
          checkStationAccess(station, req.caller, settings.clientCertHeader, settings.requireCallerAuthentication),
        progress,
        deps.routes,
      );
      const timeoutMs = Math.max(250, settings.answerTimeoutMs - (Date.now() - started) - 250);
      const found: MessageKeys = {};
      const children = await op.handle(
        { deps, route, headers: parsed.headers, requestId: req.requestId, timeoutMs, found },
        request,
      );
      return { children, found };
    })();
    const { children, found } = await withDeadline(
      work,
      Math.max(1, settings.answerTimeoutMs - (Date.now() - started)),
    );
    return answer("OK", okResponse(op.responseElement, children), { ...keys, ...found });
  } catch (err) {
    if (err instanceof StationAccessDenied) {
      deps.logger.warn(
        { requestId: req.requestId, station: progress.stationCode, reason: err.reason },
        "nodo station access denied",
      );
      return answer("FORBIDDEN", soapFault("Client", "Accesso alla stazione non consentito"), keys, 403);
    }
    const body = faultFromError(err);
    if (body.faultCode === "PAA_SYSTEM_ERROR") {
      deps.logger.error(
        { err, requestId: req.requestId, operation: op.name, tenantId: progress.tenant?.id },
        "nodo station system error",
      );
    }
    return ko(body, keys);
  }

  function protocolFault(status: number, code: "Client" | "VersionMismatch", message: string): StationAnswer {
    return {
      status,
      xml: soapFault(code, message),
      operation: "unknown",
      outcome: "SOAP_FAULT",
      tenantId: null,
      stationCode: null,
      keys: {},
      authenticated: false,
    };
  }
}
