import type { Redis } from "ioredis";
import { z } from "zod";
import type { Database } from "../platform/db/database.ts";

/** The notices of one Checkout cart, in the order the portal sent them (the first is the primary). */
export const receiptCartSchema = z.object({
  id: z.string().min(1).max(64),
  notices: z
    .array(
      z.object({
        fiscalCode: z.string().regex(/^\d{11}$/),
        nav: z.string().regex(/^\d{18}$/),
        companyName: z.string().max(140),
      }),
    )
    .min(1)
    .max(5),
});
export type ReceiptCart = z.infer<typeof receiptCartSchema>;

const TTL_SECONDS = 30 * 24 * 3600;
const key = (prefix: string, tenantId: string, nav: string) => `${prefix}:receipt-cart:${tenantId}:${nav}`;

/**
 * Remembers, for each notice of a cart sent to Checkout, the whole cart: the receipts (one per
 * notice, each from its own council, through the Nodo) do not say which cart they belong to, yet
 * the PSP charged one fee for all of them and every receipt reports it. A one-notice cart needs
 * nothing. Kept 30 days, as the receipt e-mail's address.
 */
export async function rememberCheckoutCart(
  redis: Redis,
  prefix: string,
  cart: ReceiptCart & { notices: Array<{ tenantId: string }> },
): Promise<void> {
  if (cart.notices.length < 2) return;
  const stored = JSON.stringify(
    receiptCartSchema.parse({
      id: cart.id,
      notices: cart.notices.map(({ fiscalCode, nav, companyName }) => ({ fiscalCode, nav, companyName })),
    }),
  );
  const multi = redis.multi();
  for (const n of cart.notices) multi.set(key(prefix, n.tenantId, n.nav), stored, "EX", TTL_SECONDS);
  await multi.exec();
}

/**
 * Writes the remembered cart onto a stored receipt (a follow-up of its registration), so the
 * receipt's documents show the cart's fee once, for as long as the receipt is kept.
 * @returns whether the receipt belonged to a cart of several notices
 */
export async function attachCheckoutCart(
  deps: { db: Database; redis: Redis; config: { QUEUE_PREFIX: string } },
  tenantId: string,
  receiptId: string,
): Promise<boolean> {
  return deps.db.withTenant(tenantId, async (tx) => {
    const receipt = await tx.receipt.findUnique({
      where: { tenantId_receiptId: { tenantId, receiptId } },
      select: { id: true, nav: true },
    });
    if (!receipt) return false;
    const raw = await deps.redis.get(key(deps.config.QUEUE_PREFIX, tenantId, receipt.nav));
    const cart = raw ? receiptCartSchema.safeParse(JSON.parse(raw)) : null;
    if (!cart?.success || cart.data.notices.length < 2) return false;
    await tx.receipt.update({ where: { id: receipt.id }, data: { cart: cart.data } });
    return true;
  });
}
