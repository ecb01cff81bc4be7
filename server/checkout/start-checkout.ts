import type { CheckoutDeps } from "./checkout-deps.ts";
import { handToCheckout } from "./hand-to-checkout.ts";

export { CHECKOUT_OUTCOMES, type CheckoutOutcome } from "./hand-to-checkout.ts";

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
  const checkoutUrl = await handToCheckout(deps, cart.items, {
    checkoutId,
    back: (outcome) => `${base}/esito/${checkoutId}?esito=${outcome}`,
    email: input.email,
    now,
  });
  await deps.carts.submit(cartId, checkoutId, {
    items: cart.items,
    ...(input.email ? { email: input.email } : {}),
    submittedAt: now,
  });
  return { started: true, checkoutId, checkoutUrl };
}
