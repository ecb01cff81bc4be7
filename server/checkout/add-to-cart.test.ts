import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { addToCart, cartConflict, optionLabel } from "./add-to-cart.ts";
import { cartItemSchema, type Cart, type CartItem } from "./cart.store.ts";
import type { CartStore } from "./cart.store.ts";

const tenantId = randomUUID();
const positionId = randomUUID();
const item = (nav: string, installment: CartItem["installment"], over: Partial<CartItem> = {}): CartItem =>
  cartItemSchema.parse({
    tenantId,
    ipaCode: "c_x001",
    creditorFiscalCode: "00345670210",
    companyName: "Comune di Prova",
    nav,
    amountCents: installment ? 10_500 : 31_500,
    description: "TARI 2026 - utenza domestica",
    positionId,
    installment,
    ...over,
  });
const single = item("301000000000000013", null);
const first = item("301000000000000024", { number: 1, count: 3 });
const second = item("301000000000000035", { number: 2, count: 3 });

/** An in-memory stand-in for the Redis cart store (the store itself is covered by the integration tests). */
function memoryCarts(): Pick<CartStore, "get" | "save" | "newId" | "isId"> & { saved: Map<string, Cart> } {
  const saved = new Map<string, Cart>();
  let n = 0;
  return {
    saved,
    newId: () => `cart-${String(++n).padStart(27, "0")}`,
    isId: (id: unknown): id is string => typeof id === "string" && id.length === 32,
    get: async (id) => structuredClone(saved.get(id ?? "") ?? { items: [] }),
    save: async (id, cart) => void saved.set(id, structuredClone(cart)),
  };
}

describe("the cart refuses to pay one debt twice (issue 12 item 3)", () => {
  it("labels rows 'Rata n di N' or 'Unica soluzione'", () => {
    expect(optionLabel(first)).toBe("Rata 1 di 3");
    expect(optionLabel(single)).toBe("Unica soluzione");
  });

  it("refuses the single payment beside an installment of the same position, both ways, in Italian", async () => {
    const carts = memoryCarts();
    const { cartId } = await addToCart({ carts: carts as unknown as CartStore }, undefined, first);
    await expect(addToCart({ carts: carts as unknown as CartStore }, cartId, single)).rejects.toMatchObject({
      code: "CART_CONFLICT",
      status: 409,
      message: expect.stringContaining("rata 1 di 3"),
    });
    expect(carts.saved.get(cartId)!.items.map((i) => i.nav)).toEqual([first.nav]);

    const other = memoryCarts();
    const { cartId: id2 } = await addToCart({ carts: other as unknown as CartStore }, undefined, single);
    await expect(addToCart({ carts: other as unknown as CartStore }, id2, second)).rejects.toMatchObject({
      code: "CART_CONFLICT",
      message: expect.stringContaining("unica soluzione"),
    });
  });

  it("allows several installments of one position, and the same kinds of different positions", async () => {
    const carts = memoryCarts();
    const deps = { carts: carts as unknown as CartStore };
    const { cartId } = await addToCart(deps, undefined, first);
    await addToCart(deps, cartId, second);
    await addToCart(deps, cartId, item("301000000000000046", null, { positionId: randomUUID() }));
    expect(carts.saved.get(cartId)!.items).toHaveLength(3);
    expect(
      cartConflict(carts.saved.get(cartId)!, item("301000000000000057", null, { tenantId: randomUUID() })),
    ).toBeNull();
  });

  it("keeps the receipt e-mail typed on a service form for the cart page", async () => {
    const carts = memoryCarts();
    const { cartId, created } = await addToCart({ carts: carts as unknown as CartStore }, undefined, single, {
      email: "giulia@example.org",
    });
    expect(created).toBe(true);
    expect(carts.saved.get(cartId)!.email).toBe("giulia@example.org");
  });
});
