import { setTimeout as sleep } from "node:timers/promises";
import { AppError } from "../../platform/errors.ts";
import type { Logger } from "../../platform/observability/logger.ts";

export interface ReportingHttpConfig {
  timeoutMs: number;
  /** Further attempts after the first, on network errors, timeouts, 429 and 5xx answers. */
  retries: number;
}

class RetryableError extends Error {}

/**
 * One request to a pagoPA reporting API with a deadline and retries with back-off (reads only:
 * repeating them is harmless). A 4xx other than 429 is final. Returns the body's bytes.
 */
export async function requestWithRetries(
  url: string,
  init: RequestInit,
  config: ReportingHttpConfig,
  logger: Logger,
  what: string,
): Promise<Buffer> {
  for (let i = 0; ; i++) {
    try {
      let res: Response;
      try {
        res = await fetch(url, { ...init, signal: AbortSignal.timeout(config.timeoutMs) });
      } catch (err) {
        throw new RetryableError(`${what} not reachable: ${(err as Error).message}`);
      }
      const body = Buffer.from(await res.arrayBuffer());
      if (res.status >= 500 || res.status === 429) throw new RetryableError(`${what} answered ${res.status}`);
      if (res.status >= 400)
        throw new AppError(
          "REPORTING_SOURCE_UNAVAILABLE",
          `${what} refused (${res.status}): ${body.toString().slice(0, 300)}`,
          502,
        );
      return body;
    } catch (err) {
      if (!(err instanceof RetryableError)) throw err;
      if (i >= config.retries)
        throw new AppError("REPORTING_SOURCE_UNAVAILABLE", `${err.message} after ${i + 1} attempts`, 503);
      logger.warn({ attempt: i + 1, reason: err.message }, `retrying ${what}`);
      await sleep(Math.min(200 * 2 ** i, 5_000));
    }
  }
}
