import { cartConflict } from "./add-to-cart.ts";
import { MAX_CART_ITEMS, type CartItem } from "./cart.store.ts";
import type { CheckoutDeps } from "./checkout-deps.ts";
import { getCheckoutResult } from "./get-checkout-result.ts";
import type { AddedToCart } from "./add-to-cart.ts";

export interface RetriedCheckout extends Omit<AddedToCart, "added"> {
  /** How many notices of the attempt went back into the cart. */
  restored: number;
}

/**
 * Puts `items` back into the visitor's cart (creating it on first use), skipping those already
 * there, those that would pay one debt twice beside a row of the cart, and any beyond the
 * five Checkout takes: a retry must never fail on what the citizen can still see and fix.
 */
export async function refillCart(
  deps: Pick<CheckoutDeps, "carts">,
  cartId: string | undefined,
  items: CartItem[],
): Promise<RetriedCheckout> {
  const created = !deps.carts.isId(cartId);
  const id = created ? deps.carts.newId() : (cartId as string);
  const cart = await deps.carts.get(id);
  let restored = 0;
  for (const item of items) {
    if (cart.items.length >= MAX_CART_ITEMS) break;
    if (cart.items.some((i) => i.nav === item.nav && i.creditorFiscalCode === item.creditorFiscalCode)) continue;
    if (cartConflict(cart, item)) continue;
    cart.items.push(item);
    restored++;
  }
  if (restored > 0 || created) await deps.carts.save(id, cart);
  return { cartId: id, created, restored };
}

/**
 * "Riprova" after a payment cancelled or refused in Checkout: starting Checkout emptied the cart,
 * so the notices of that attempt that are still payable (UNPAID) go back into it. Paid, expired
 * or cancelled ones stay out.
 * @throws AppError NOT_FOUND (unknown checkout id)
 */
export async function retryCheckout(
  deps: Pick<CheckoutDeps, "db" | "carts">,
  cartId: string | undefined,
  checkoutId: string,
): Promise<RetriedCheckout> {
  const { rows } = await getCheckoutResult(deps, checkoutId);
  return refillCart(
    deps,
    cartId,
    rows.filter((r) => r.status.status === "UNPAID").map((r) => r.item),
  );
}
