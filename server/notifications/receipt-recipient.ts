import type { Redis } from "ioredis";

const TTL_SECONDS = 30 * 24 * 3600;
const key = (prefix: string, tenantId: string, nav: string) => `${prefix}:receipt-mail:to:${tenantId}:${nav}`;

/**
 * Remembers the e-mail a citizen gave when paying a notice on the portal, for the receipt that
 * arrives later (from the Nodo, in another process). Kept 30 days: a receipt arrives within
 * minutes, or after a Stand-In within days.
 */
export async function rememberReceiptRecipient(redis: Redis, prefix: string, tenantId: string, nav: string, email: string): Promise<void> {
  await redis.set(key(prefix, tenantId, nav), email, "EX", TTL_SECONDS);
}

export async function receiptRecipient(redis: Redis, prefix: string, tenantId: string, nav: string): Promise<string | null> {
  return redis.get(key(prefix, tenantId, nav));
}
