import type { Redis } from "ioredis";
import { z } from "zod";

/** How long after a checkout started a payment it made can be dated (the Checkout page's life and then some). */
export const CHECKOUT_RECIPIENT_WINDOW_MS = 60 * 60_000;
/** Clock skew between our servers and the PSP's payment date. */
const SKEW_MS = 2 * 60_000;
/** Receipts arrive within minutes, or after a Stand-In within days. */
const TTL_SECONDS = 30 * 24 * 3600;

const pendingKey = (prefix: string, tenantId: string, nav: string) =>
  `${prefix}:receipt-mail:pending:${tenantId}:${nav}`;
const chosenKey = (prefix: string, tenantId: string, receiptId: string) =>
  `${prefix}:receipt-mail:to:${tenantId}:${receiptId}`;
const member = z.object({ checkoutId: z.string(), email: z.email() });

export interface CheckoutRecipient {
  checkoutId: string;
  email: string;
  notices: Array<{ tenantId: string; nav: string }>;
  startedAt: Date;
}

/**
 * Remembers the e-mail a citizen gave for one checkout, for the receipts of the payment made in
 * it (they arrive later from the Nodo, in another process). The address is bound to that
 * checkout: it is a candidate only for a payment dated within the checkout's window, and it is
 * consumed by the first receipt of that notice, so it never redirects a later receipt (e.g. the
 * debtor's own payment at a PSP next week).
 */
export async function rememberCheckoutRecipient(
  redis: Redis,
  prefix: string,
  recipient: CheckoutRecipient,
): Promise<void> {
  const tx = redis.multi();
  for (const n of recipient.notices) {
    const key = pendingKey(prefix, n.tenantId, n.nav);
    tx.zadd(
      key,
      recipient.startedAt.getTime(),
      JSON.stringify({ checkoutId: recipient.checkoutId, email: recipient.email }),
    );
    tx.expire(key, TTL_SECONDS);
  }
  await tx.exec();
}

/**
 * The address given on the portal for the receipt `receiptId` of notice `nav`, paid at `paidAt`:
 * the e-mail of the checkout started within the window before the payment, if exactly one
 * address is a candidate (two checkouts of one notice with different addresses: we cannot tell
 * which one paid, so neither gets it). The choice is kept per receipt, so a retried job mails
 * the same address, and the pending candidates up to the payment are consumed.
 */
export async function takeReceiptRecipient(
  redis: Redis,
  prefix: string,
  receipt: { tenantId: string; nav: string; receiptId: string; paidAt: Date },
): Promise<string | null> {
  const chosen = chosenKey(prefix, receipt.tenantId, receipt.receiptId);
  const already = await redis.get(chosen);
  if (already !== null) return already || null;
  const key = pendingKey(prefix, receipt.tenantId, receipt.nav);
  const paid = receipt.paidAt.getTime();
  const [[, raw]] = (await redis
    .multi()
    .zrangebyscore(key, paid - CHECKOUT_RECIPIENT_WINDOW_MS, paid + SKEW_MS)
    .zremrangebyscore(key, "-inf", paid + SKEW_MS)
    .exec()) as [[Error | null, string[]], [Error | null, number]];
  const emails = new Set(
    (raw ?? []).flatMap((m) => {
      const parsed = member.safeParse(JSON.parse(m));
      return parsed.success ? [parsed.data.email.toLowerCase()] : [];
    }),
  );
  const email = emails.size === 1 ? [...emails][0]! : null;
  await redis.set(chosen, email ?? "", "EX", TTL_SECONDS);
  return email;
}
