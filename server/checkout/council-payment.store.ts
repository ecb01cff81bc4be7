import { z } from "zod";
import type { Redis } from "ioredis";
import { cartItemSchema } from "./cart.store.ts";

/** A payment a council's portal started through the API (OTF): what the return and the status read need. */
export const councilPaymentSchema = z.object({
  id: z.string(),
  tenantId: z.uuid(),
  /** The API client that started it (its return-URL prefixes admitted the URLs below). */
  clientId: z.string(),
  items: z.array(cartItemSchema).min(1).max(5),
  returnUrls: z.object({ ok: z.string(), cancel: z.string(), error: z.string() }),
  checkoutUrl: z.string(),
  createdAt: z.coerce.date(),
});
export type CouncilPayment = z.infer<typeof councilPaymentSchema>;

const TTL_SECONDS = 30 * 24 * 3600;
const ID = /^[\w-]{32}$/;
const key = (prefix: string, id: string) => `${prefix}:portal:council-payment:${id}`;

/** Kept in Redis beside the citizen's checkout records, for as long (30 days). */
export async function saveCouncilPayment(redis: Redis, prefix: string, payment: CouncilPayment): Promise<void> {
  await redis.set(key(prefix, payment.id), JSON.stringify(councilPaymentSchema.parse(payment)), "EX", TTL_SECONDS);
}

export async function loadCouncilPayment(redis: Redis, prefix: string, id: string): Promise<CouncilPayment | null> {
  if (!ID.test(id)) return null;
  const raw = await redis.get(key(prefix, id));
  const parsed = raw ? councilPaymentSchema.safeParse(JSON.parse(raw)) : null;
  return parsed?.success ? parsed.data : null;
}
