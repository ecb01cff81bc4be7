import type { Redis } from "ioredis";

/**
 * Remembers each accepted assertion until it expires, so the same Response posted twice (a
 * replayed form, a stolen one) logs nobody in the second time. Atomic across processes (SET NX).
 * @returns false when the assertion was already used
 */
export async function firstUseOfAssertion(
  redis: Redis,
  prefix: string,
  idp: string,
  assertionId: string,
  notOnOrAfter: Date,
  now = new Date(),
): Promise<boolean> {
  const ttlMs = Math.max(1_000, notOnOrAfter.getTime() - now.getTime() + 60_000);
  const set = await redis.set(`${prefix}:spid:assertion:${idp}:${assertionId}`, "1", "PX", ttlMs, "NX");
  return set === "OK";
}
