import { randomUUID } from "node:crypto";
import { AppError } from "../../platform/errors.ts";
import { acaPositionAnswerSchema, acaPositionSchema, type AcaPosition } from "./aca.schema.ts";

export interface AcaClientConfig {
  /** e.g. https://api.platform.pagopa.it/aca/debt-positions-service/v1, or the simulator's. */
  baseUrl: string;
  subscriptionKey?: string;
  timeoutMs: number;
}

/** How the archive took a call: done, or the answer that tells the caller to try the other verb. */
export type AcaOutcome = "ok" | "not-found" | "conflict";

export interface AcaClient {
  /** createPosition, published at once (toPublish=true): pagoPA can answer for it from now on. */
  create(organizationFiscalCode: string, position: AcaPosition): Promise<AcaOutcome>;
  /** updatePosition (toPublish=true): the notice's amount, due date or debtor changed. */
  update(organizationFiscalCode: string, position: AcaPosition): Promise<AcaOutcome>;
  /** invalidatePosition: the notice is no longer payable (cancelled, paid, expired). */
  invalidate(organizationFiscalCode: string, iupd: string): Promise<AcaOutcome>;
}

const unavailable = (message: string) => new AppError("ACA_UNAVAILABLE", message, 503);

/**
 * Client of pagoPA's ACA debt-positions service (gpd-4-aca.json). Requests are checked against
 * the document's model before they leave; the subscription key goes in Ocp-Apim-Subscription-Key
 * (the document's ApiKey scheme). 404 and 409 are answers the caller acts on (create what the
 * archive does not hold, update what it already holds); a timeout, network error, 429 or 5xx is
 * ACA_UNAVAILABLE (retried later with back-off), any other refusal ACA_REJECTED.
 */
export function createAcaClient(config: AcaClientConfig): AcaClient {
  const base = config.baseUrl.replace(/\/+$/, "");
  const url = (fc: string, rest = "") => `${base}/organizations/${encodeURIComponent(fc)}/debtpositions${rest}`;

  async function call(method: "POST" | "PUT", target: string, body?: AcaPosition): Promise<AcaOutcome> {
    const res = await fetch(target, {
      method,
      headers: {
        accept: "application/json",
        "X-Request-Id": randomUUID(),
        ...(body ? { "content-type": "application/json" } : {}),
        ...(config.subscriptionKey ? { "Ocp-Apim-Subscription-Key": config.subscriptionKey } : {}),
      },
      body: body ? JSON.stringify(acaPositionSchema.parse(body)) : undefined,
      signal: AbortSignal.timeout(config.timeoutMs),
    }).catch((err: Error) => {
      throw unavailable(`pagoPA's ACA archive is not reachable: ${err.message}`);
    });
    const text = await res.text().catch(() => "");
    if (res.status === 429 || res.status >= 500) throw unavailable(`pagoPA's ACA archive answered ${res.status}`);
    if (res.status === 404) return "not-found";
    if (res.status === 409) return "conflict";
    if (!res.ok)
      throw new AppError("ACA_REJECTED", `pagoPA's ACA archive answered ${res.status}: ${text.slice(0, 200)}`, 502);
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(text);
    } catch {
      // handled below: an answer that is not the position is refused
    }
    if (!acaPositionAnswerSchema.safeParse(parsed).success)
      throw new AppError("ACA_REJECTED", "pagoPA's ACA archive answered something that is not a debt position", 502);
    return "ok";
  }

  return {
    create: (fc, position) => call("POST", `${url(fc)}?toPublish=true`, position),
    update: (fc, position) =>
      call("PUT", `${url(fc, `/${encodeURIComponent(position.iupd)}`)}?toPublish=true`, position),
    invalidate: (fc, iupd) => call("POST", url(fc, `/${encodeURIComponent(iupd)}/invalidate`)),
  };
}
