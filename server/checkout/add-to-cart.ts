import { AppError } from "../platform/errors.ts";
import { cartItemSchema, MAX_CART_ITEMS, type Cart, type CartItem, type CartItemInput } from "./cart.store.ts";
import type { CheckoutDeps } from "./checkout-deps.ts";

/** "Rata 1 di 3" or "Unica soluzione": how a cart row says which option of its position it is. */
export function optionLabel(item: Pick<CartItem, "installment">): string {
  return item.installment ? `Rata ${item.installment.number} di ${item.installment.count}` : "Unica soluzione";
}

/**
 * Why `item` cannot join `cart`, if it cannot: the single payment and an installment of one
 * position pay the same debt twice (a 315 € TARI and its first 105 € installment), so they never
 * sit in one cart together.
 */
export function cartConflict(cart: Cart, item: CartItem): string | null {
  if (!item.positionId) return null;
  const rival = cart.items.find(
    (i) =>
      i.tenantId === item.tenantId &&
      i.positionId === item.positionId &&
      (i.installment === null) !== (item.installment === null),
  );
  if (!rival) return null;
  return rival.installment
    ? `Nel carrello c'è già la ${optionLabel(rival).toLowerCase()} di "${rival.description}": puoi pagare in unica soluzione oppure a rate, non in entrambi i modi. Rimuovi la rata dal carrello per pagare in unica soluzione.`
    : `Nel carrello c'è già il pagamento in unica soluzione di "${rival.description}": puoi pagare in unica soluzione oppure a rate, non in entrambi i modi. Rimuovi l'unica soluzione dal carrello per pagare a rate.`;
}

export interface AddedToCart {
  /** The cart's id: a new one when the visitor had none (the page sets its cookie). */
  cartId: string;
  created: boolean;
  added: boolean;
}

/**
 * Adds a notice to the visitor's cart (creating the cart on first use) unless it is already
 * there. Optionally remembers the e-mail the citizen typed for the receipt, so the cart page asks
 * it no more (it is used only if they confirm it there).
 * @throws AppError CART_FULL (a sixth notice) | CART_CONFLICT (single payment beside an installment of one position)
 */
export async function addToCart(
  deps: Pick<CheckoutDeps, "carts">,
  cartId: string | undefined,
  input: CartItemInput,
  options: { email?: string } = {},
): Promise<AddedToCart> {
  const item = cartItemSchema.parse(input);
  const created = !deps.carts.isId(cartId);
  const id = created ? deps.carts.newId() : (cartId as string);
  const cart = await deps.carts.get(id);
  const email = options.email ?? cart.email;
  if (cart.items.some((i) => i.nav === item.nav && i.creditorFiscalCode === item.creditorFiscalCode)) {
    if (options.email) await deps.carts.save(id, { ...cart, email });
    return { cartId: id, created, added: false };
  }
  const conflict = cartConflict(cart, item);
  if (conflict) throw new AppError("CART_CONFLICT", conflict, 409);
  if (cart.items.length >= MAX_CART_ITEMS)
    throw new AppError("CART_FULL", "Il carrello contiene già 5 avvisi: paga questi prima di aggiungerne altri", 409);
  await deps.carts.save(id, { items: [...cart.items, item], ...(email ? { email } : {}) });
  return { cartId: id, created, added: true };
}
