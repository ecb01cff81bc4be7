import { optionLabel } from "./add-to-cart.ts";
import { MAX_CART_ITEMS, type CartItem } from "./cart.store.ts";
import type { CheckoutDeps } from "./checkout-deps.ts";

export interface CartView {
  items: Array<CartItem & { optionLabel: string }>;
  totalCents: number;
  full: boolean;
  /** The receipt e-mail typed on a service form, offered pre-filled. */
  email: string | undefined;
}

/** The visitor's cart as the cart page shows it (an unknown or expired id is an empty cart). */
export async function viewCart(deps: Pick<CheckoutDeps, "carts">, cartId: string | undefined): Promise<CartView> {
  const cart = await deps.carts.get(cartId);
  return {
    items: cart.items.map((i) => ({ ...i, optionLabel: optionLabel(i) })),
    totalCents: cart.items.reduce((s, i) => s + i.amountCents, 0),
    full: cart.items.length >= MAX_CART_ITEMS,
    email: cart.email,
  };
}

/** Removes a notice from the visitor's cart (nothing when the cart or the notice is not there). */
export async function removeFromCart(
  deps: Pick<CheckoutDeps, "carts">,
  cartId: string | undefined,
  nav: string,
): Promise<void> {
  if (deps.carts.isId(cartId)) await deps.carts.remove(cartId, nav);
}
