import { rememberCheckoutRecipient } from "../notifications/index.ts";
import { rememberCheckoutCart } from "../receipts/index.ts";
import type { CheckoutDeps } from "./checkout-deps.ts";

/** The outcomes Checkout sends the citizen back with, as the result page's `esito` values. */
export const CHECKOUT_OUTCOMES = { ok: "ok", annullato: "annullato", errore: "errore", attesa: "attesa" } as const;
export type CheckoutOutcome = keyof typeof CHECKOUT_OUTCOMES;

export type StartedCheckout = { started: true; checkoutId: string; checkoutUrl: string } | { started: false };

/**
 * Pays the visitor's cart on pagoPA Checkout: creates Checkout's cart (return URLs to our result
 * page under a fresh unguessable checkout id), records the receipt e-mail for the payment of
 * this checkout only, and moves the cart to the checkout record the result page reads.
 * An empty or unknown cart starts nothing.
 * @throws AppError CHECKOUT_UNAVAILABLE | CHECKOUT_REJECTED (from the client)
 */
export async function startCheckout(
  deps: CheckoutDeps,
  input: { cartId: string | undefined; email?: string },
  now = new Date(),
): Promise<StartedCheckout> {
  const { cartId } = input;
  if (!deps.carts.isId(cartId)) return { started: false };
  const cart = await deps.carts.get(cartId);
  if (cart.items.length === 0) return { started: false };
  const base = deps.config.PUBLIC_BASE_URL.replace(/\/+$/, "");
  const checkoutId = deps.carts.newId();
  const back = (outcome: CheckoutOutcome) => `${base}/esito/${checkoutId}?esito=${outcome}`;
  const { checkoutUrl } = await deps.client.createCart({
    paymentNotices: cart.items.map((i) => ({
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
    ...(input.email ? { emailNotice: input.email } : {}),
  });
  // One PSP fee pays for every notice of the cart: the receipts print it once (receipts/fee-presentation.ts).
  await rememberCheckoutCart(deps.redis, deps.config.QUEUE_PREFIX, {
    id: checkoutId,
    notices: cart.items.map((i) => ({
      tenantId: i.tenantId,
      fiscalCode: i.creditorFiscalCode,
      nav: i.nav,
      companyName: i.companyName.slice(0, 140),
    })),
  });
  // Only once Checkout has accepted the cart: an address for a checkout that never existed
  // could otherwise claim the receipt of someone else's payment.
  if (input.email) {
    await rememberCheckoutRecipient(deps.redis, deps.config.QUEUE_PREFIX, {
      checkoutId,
      email: input.email,
      notices: cart.items.map((i) => ({ tenantId: i.tenantId, nav: i.nav })),
      startedAt: now,
    });
  }
  await deps.carts.submit(cartId, checkoutId, {
    items: cart.items,
    ...(input.email ? { email: input.email } : {}),
    submittedAt: now,
  });
  return { started: true, checkoutId, checkoutUrl };
}
