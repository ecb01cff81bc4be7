import type { Redis } from "ioredis";

/**
 * A fixed-window counter per client address for the login endpoints: enough to stop a script
 * hammering the IdP through us, never in the way of a person (the IdP has its own lockout).
 * Returns the seconds to wait when over the limit, otherwise 0.
 */
export async function loginAttemptWait(
  redis: Redis,
  prefix: string,
  address: string,
  limitPerMinute: number,
): Promise<number> {
  const window = Math.floor(Date.now() / 60_000);
  const key = `${prefix}:staff-login-rate:${address}:${window}`;
  const [[, count]] = (await redis.multi().incr(key).expire(key, 120).exec()) as [[null, number], [null, number]];
  return count > limitPerMinute ? 60 - Math.floor((Date.now() / 1000) % 60) : 0;
}
