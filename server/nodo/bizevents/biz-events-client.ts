import { randomUUID } from "node:crypto";
import { AppError } from "../../platform/errors.ts";
import type { ReceiptArchive } from "../../receipt-recovery/index.ts";
import { mapOrganizationReceipt } from "./map-biz-receipt.ts";

export interface BizEventsClientConfig {
  /** e.g. https://api.platform.pagopa.it/bizevents/service/v1, or the simulator's. */
  baseUrl: string;
  subscriptionKey?: string;
  timeoutMs: number;
  /** Consecutive failures that open the circuit, and how long it stays open. */
  breakerFailures?: number;
  breakerOpenMs?: number;
}

const unavailable = (message: string) => new AppError("BIZEVENTS_UNAVAILABLE", message, 503);

/**
 * Client of pagoPA's biz-events API (biz_events.json), operation getOrganizationReceiptIuvIur:
 * GET /organizations/{organizationfiscalcode}/receipts/{iur}/paymentoptions/{iuv}. 404 is "no
 * such receipt"; a timeout, network error, 429 or 5xx counts towards a circuit breaker, so a
 * dead or throttling archive is not hammered by every due recovery of a run (they wait for the
 * next run instead). An answer that is not a receipt is refused, never guessed.
 */
export function createBizEventsClient(config: BizEventsClientConfig): ReceiptArchive {
  const base = config.baseUrl.replace(/\/+$/, "");
  const maxFailures = config.breakerFailures ?? 3;
  const openMs = config.breakerOpenMs ?? 60_000;
  let failures = 0;
  let openUntil = 0;

  const failed = (err: AppError) => {
    failures += 1;
    if (failures >= maxFailures) openUntil = Date.now() + openMs;
    return err;
  };

  return {
    async find({ organizationFiscalCode, iur, iuv }) {
      if (Date.now() < openUntil) throw unavailable("pagoPA's biz-events API is failing: circuit open");
      const url =
        `${base}/organizations/${encodeURIComponent(organizationFiscalCode)}` +
        `/receipts/${encodeURIComponent(iur)}/paymentoptions/${encodeURIComponent(iuv)}`;
      const res = await fetch(url, {
        headers: {
          accept: "application/json",
          "X-Request-Id": randomUUID(),
          ...(config.subscriptionKey ? { "Ocp-Apim-Subscription-Key": config.subscriptionKey } : {}),
        },
        signal: AbortSignal.timeout(config.timeoutMs),
      }).catch((err: Error) => {
        throw failed(unavailable(`pagoPA's biz-events API is not reachable: ${err.message}`));
      });
      if (res.status === 429 || res.status >= 500) {
        await res.body?.cancel();
        throw failed(unavailable(`pagoPA's biz-events API answered ${res.status}`));
      }
      failures = 0;
      if (res.status === 404) {
        await res.body?.cancel();
        return null;
      }
      if (!res.ok) {
        await res.body?.cancel();
        throw new AppError("BIZEVENTS_REJECTED", `pagoPA's biz-events API answered ${res.status}`, 502);
      }
      const mapped = mapOrganizationReceipt(await res.json().catch(() => null));
      if (!mapped.ok)
        throw new AppError(
          "BIZEVENTS_REJECTED",
          `pagoPA's biz-events API answered a receipt we cannot read: ${mapped.reason}`,
          502,
        );
      return mapped.receipt;
    },
  };
}
