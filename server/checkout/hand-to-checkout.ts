import { rememberCheckoutRecipient } from "../notifications/index.ts";
import { rememberCheckoutCart } from "../receipts/index.ts";
import type { CartItem } from "./cart.store.ts";
import type { CheckoutDeps } from "./checkout-deps.ts";

/** The outcomes Checkout sends the citizen back with, as the result pages' `esito` values. */
export const CHECKOUT_OUTCOMES = { ok: "ok", annullato: "annullato", errore: "errore", attesa: "attesa" } as const;
export type CheckoutOutcome = keyof typeof CHECKOUT_OUTCOMES;

/**
 * Creates Checkout's cart for `items` under `checkoutId` and records what the payment's
 * follow-ups need: the cart (one PSP fee for all its notices, printed once on the receipts) and,
 * only once Checkout has accepted the cart, the receipt e-mail for this payment. Shared by the
 * citizen's cart and the payments a council's portal starts (issue 14 item 2).
 * @throws AppError CHECKOUT_UNAVAILABLE | CHECKOUT_REJECTED (from the client)
 */
export async function handToCheckout(
  deps: Pick<CheckoutDeps, "client" | "redis" | "config">,
  items: readonly CartItem[],
  options: { checkoutId: string; back: (outcome: CheckoutOutcome) => string; email?: string; now: Date },
): Promise<string> {
  const { checkoutId, back, email } = options;
  const { checkoutUrl } = await deps.client.createCart({
    paymentNotices: items.map((i) => ({
      noticeNumber: i.nav,
      fiscalCode: i.creditorFiscalCode,
      amount: i.amountCents,
      companyName: i.companyName.slice(0, 140),
      description: i.description.slice(0, 140),
    })),
    returnUrls: {
      returnOkUrl: back("ok"),
      returnCancelUrl: back("annullato"),
      returnErrorUrl: back("errore"),
      returnWaitingUrl: back("attesa"),
    },
    idCart: checkoutId.slice(0, 35),
    ...(email ? { emailNotice: email } : {}),
  });
  await rememberCheckoutCart(deps.redis, deps.config.QUEUE_PREFIX, {
    id: checkoutId,
    notices: items.map((i) => ({
      tenantId: i.tenantId,
      fiscalCode: i.creditorFiscalCode,
      nav: i.nav,
      companyName: i.companyName.slice(0, 140),
    })),
  });
  // An address for a checkout that never existed could otherwise claim someone else's receipt.
  if (email) {
    await rememberCheckoutRecipient(deps.redis, deps.config.QUEUE_PREFIX, {
      checkoutId,
      email,
      notices: items.map((i) => ({ tenantId: i.tenantId, nav: i.nav })),
      startedAt: options.now,
    });
  }
  return checkoutUrl;
}
