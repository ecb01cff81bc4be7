/**
 * When to try a failed delivery again: 5 s after the first failure, then three times longer
 * each time, capped at 6 hours, with ±10% jitter so endpoints that failed together do not all
 * come back in the same second. Past `maxAgeMs` from the delivery's creation (3 days by
 * default) there is no next attempt: the delivery is marked failed.
 */
export const FIRST_RETRY_MS = 5_000;
export const MAX_RETRY_DELAY_MS = 6 * 3_600_000;

export function retryDelayMs(attempts: number, random = Math.random): number {
  const base = Math.min(FIRST_RETRY_MS * 3 ** Math.max(0, attempts - 1), MAX_RETRY_DELAY_MS);
  return Math.round(base * (0.9 + 0.2 * random()));
}

/** The next attempt after `attempts` failed ones, or null when it would fall past the delivery's lifetime. */
export function nextAttemptAt(
  createdAt: Date,
  attempts: number,
  now: Date,
  maxAgeMs: number,
  random = Math.random,
): Date | null {
  const next = new Date(now.getTime() + retryDelayMs(attempts, random));
  return next.getTime() - createdAt.getTime() > maxAgeMs ? null : next;
}
