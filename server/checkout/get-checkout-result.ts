import { AppError } from "../platform/errors.ts";
import { getNoticePaymentStatus, type NoticePaymentStatus } from "../positions/index.ts";
import type { CartItem } from "./cart.store.ts";
import type { CheckoutDeps } from "./checkout-deps.ts";

export interface CheckoutResult {
  rows: Array<{ item: CartItem; status: NoticePaymentStatus }>;
  allPaid: boolean;
  totalCents: number;
}

/**
 * Where each notice of a checkout stands, for the result page (and its polling). The checkout id
 * is the secret: an unknown one is "not found".
 * @throws AppError NOT_FOUND
 */
export async function getCheckoutResult(
  deps: Pick<CheckoutDeps, "db" | "carts">,
  checkoutId: string,
): Promise<CheckoutResult> {
  const cart = await deps.carts.submitted(checkoutId);
  if (!cart) throw new AppError("NOT_FOUND", "Pagamento non trovato", 404);
  const rows = await Promise.all(
    cart.items.map(async (item) => ({ item, status: await getNoticePaymentStatus(deps.db, item.tenantId, item.nav) })),
  );
  return {
    rows,
    allPaid: rows.every((r) => r.status.status === "PAID"),
    totalCents: cart.items.reduce((s, i) => s + i.amountCents, 0),
  };
}
