import { renderNoticeByNav, type RenderedNotice } from "../notices/index.ts";
import { AppError } from "../platform/errors.ts";
import type { Cart } from "./cart.store.ts";
import type { CheckoutDeps } from "./checkout-deps.ts";

function printable(
  deps: Pick<CheckoutDeps, "db" | "pdf">,
  cart: Cart | undefined,
  nav: string,
): Promise<RenderedNotice> {
  const item = cart?.items.find((i) => i.nav === nav);
  // The notice names the debtor (name, fiscal code, address): only for a visitor who showed they
  // know the debtor (issue 13 item 1). Every other case is the same "not found".
  if (!item || !item.debtorKnown) throw new AppError("NOT_FOUND", "Avviso non trovato", 404);
  return renderNoticeByNav(deps, item.tenantId, nav);
}

/** The notice PDF of a NAV in the visitor's cart (the cart id is the secret). @throws AppError NOT_FOUND */
export async function downloadCartNotice(
  deps: Pick<CheckoutDeps, "db" | "pdf" | "carts">,
  cartId: string | undefined,
  nav: string,
): Promise<RenderedNotice> {
  return printable(deps, await deps.carts.get(cartId), nav);
}

/** The notice PDF of a NAV of a checkout, to pay it later at any PSP (the checkout id is the secret). @throws AppError NOT_FOUND */
export async function downloadCheckoutNotice(
  deps: Pick<CheckoutDeps, "db" | "pdf" | "carts">,
  checkoutId: string,
  nav: string,
): Promise<RenderedNotice> {
  return printable(deps, await deps.carts.submitted(checkoutId), nav);
}
