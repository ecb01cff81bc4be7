import { describe, expect, it, vi } from "vitest";
import { randomUUID } from "node:crypto";
import { cartItemSchema, type Cart, type CartItem, type CartStore, type SubmittedCart } from "./cart.store.ts";
import type { CheckoutDeps } from "./checkout-deps.ts";
import type { NoticePaymentStatus } from "../positions/index.ts";

const statusOf = vi.hoisted(() => ({ byNav: new Map<string, NoticePaymentStatus["status"]>() }));
vi.mock("../positions/index.ts", () => ({
  getNoticePaymentStatus: async (_db: unknown, _tenantId: string, nav: string): Promise<NoticePaymentStatus> => ({
    nav,
    status: statusOf.byNav.get(nav) ?? "UNKNOWN",
    inProgress: false,
  }),
}));
const { refillCart, retryCheckout } = await import("./retry-checkout.ts");

const tenantId = randomUUID();
const positionId = randomUUID();
const item = (nav: string, installment: CartItem["installment"], over: Partial<CartItem> = {}): CartItem =>
  cartItemSchema.parse({
    tenantId,
    ipaCode: "c_x001",
    creditorFiscalCode: "00345670210",
    companyName: "Comune di Prova",
    nav,
    amountCents: 2_222,
    description: "Diritti di segreteria",
    installment,
    ...over,
  });

/** An in-memory stand-in for the Redis cart store. */
function memoryCarts(submitted: Record<string, SubmittedCart> = {}) {
  const saved = new Map<string, Cart>();
  let n = 0;
  const carts = {
    newId: () => `cart-${String(++n).padStart(27, "0")}`,
    isId: (id: unknown): id is string => typeof id === "string" && id.length === 32,
    get: async (id: string | undefined) => structuredClone(saved.get(id ?? "") ?? { items: [] }),
    save: async (id: string, cart: Cart) => void saved.set(id, structuredClone(cart)),
    submitted: async (id: string) => submitted[id],
  };
  return { saved, deps: { carts: carts as unknown as CartStore, db: {} as CheckoutDeps["db"] } };
}

describe("'Riprova' after a cancelled Checkout puts the attempt's unpaid notices back into the cart", () => {
  it("restores only the UNPAID notices, into a new cart when the visitor has none", async () => {
    const a = item("301000000000000013", null);
    const paid = item("301000000000000024", null, { positionId: randomUUID() });
    const expired = item("301000000000000035", null);
    statusOf.byNav = new Map([
      [a.nav, "UNPAID"],
      [paid.nav, "PAID"],
      [expired.nav, "EXPIRED"],
    ]);
    const checkoutId = "chk-".padEnd(32, "x");
    const { saved, deps } = memoryCarts({ [checkoutId]: { items: [a, paid, expired] } });

    const retried = await retryCheckout(deps, undefined, checkoutId);

    expect(retried).toMatchObject({ created: true, restored: 1 });
    expect(saved.get(retried.cartId)!.items.map((i) => i.nav)).toEqual([a.nav]);
  });

  it("refuses an unknown checkout id", async () => {
    const { deps } = memoryCarts();
    await expect(retryCheckout(deps, undefined, "nope")).rejects.toMatchObject({ code: "NOT_FOUND", status: 404 });
  });

  it("never duplicates a row, never pays one debt twice, never goes past five notices", async () => {
    const { saved, deps } = memoryCarts();
    const first = item("301000000000000046", { number: 1, count: 3 }, { positionId });
    const single = item("301000000000000057", null, { positionId });
    const { cartId } = await refillCart(deps, undefined, [first]);
    const again = await refillCart(deps, cartId, [
      first,
      single,
      ...["01", "02", "03", "04", "05"].map((n) => item(`3010000000000001${n}`, null)),
    ]);
    expect(again).toMatchObject({ cartId, created: false, restored: 4 });
    expect(saved.get(cartId)!.items.map((i) => i.nav)).toEqual([
      first.nav,
      "301000000000000101",
      "301000000000000102",
      "301000000000000103",
      "301000000000000104",
    ]);
  });
});
