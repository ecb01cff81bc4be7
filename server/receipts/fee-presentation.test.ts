import { describe, expect, it } from "vitest";
import { presentFee } from "./fee-presentation.ts";
import { paymentMethodLabel } from "./payment-method.ts";

const A = { fiscalCode: "00000000001", nav: "301000000000000011", companyName: "Comune di Borgo Fiorito" };
const B = { fiscalCode: "00000000002", nav: "301000000000000022", companyName: "Comune di Valle Serena" };
const C = { fiscalCode: "00000000002", nav: "301000000000000033", companyName: "Comune di Valle Serena" };

describe("the PSP's fee on receipts", () => {
  it("is added to a receipt paid on its own (or not known to come from a cart)", () => {
    expect(presentFee({ nav: A.nav, amountCents: 10_500, feeCents: 100, cart: null }, A.fiscalCode)).toEqual({
      feeCents: 100,
      totalCents: 10_600,
      note: null,
    });
    expect(presentFee({ nav: A.nav, amountCents: 10_500, feeCents: null, cart: null }, A.fiscalCode)).toEqual({
      feeCents: null,
      totalCents: 10_500,
      note: null,
    });
    expect(
      presentFee({ nav: A.nav, amountCents: 10_500, feeCents: 100, cart: { id: "x", notices: [A] } }, A.fiscalCode)
        .totalCents,
    ).toBe(10_600);
    expect(
      presentFee({ nav: A.nav, amountCents: 10_500, feeCents: 100, cart: { garbage: true } }, A.fiscalCode).totalCents,
    ).toBe(10_600);
  });

  it("is printed once for a cart: on the first notice's receipt, and the others say where", () => {
    const cart = { id: "cart-1", notices: [A, B, C] };
    const receipts = [
      presentFee({ nav: A.nav, amountCents: 10_500, feeCents: 100, cart }, A.fiscalCode),
      presentFee({ nav: B.nav, amountCents: 31_500, feeCents: 100, cart }, B.fiscalCode),
      presentFee({ nav: C.nav, amountCents: 2_000, feeCents: 100, cart }, C.fiscalCode),
    ];
    expect(receipts.map((r) => r.feeCents)).toEqual([100, null, null]);
    // What the citizen paid in Checkout: every amount once, the fee once.
    expect(receipts.reduce((s, r) => s + r.totalCents, 0)).toBe(10_500 + 31_500 + 2_000 + 100);
    expect(receipts[0]!.note).toBe(
      "Commissione unica dell'operazione con cui sono stati pagati 3 avvisi: è indicata solo su questa ricevuta.",
    );
    expect(receipts[1]!.note).toBe(
      "Avviso pagato insieme ad altri 2 avvisi in un'unica operazione: la commissione di 1,00 euro è stata addebitata una sola volta ed è indicata sulla ricevuta dell'avviso 3010 0000 0000 0000 11 (Comune di Borgo Fiorito).",
    );
    expect(
      presentFee({ nav: B.nav, amountCents: 1, feeCents: 100, cart: { id: "c", notices: [A, B] } }, B.fiscalCode).note,
    ).toContain("insieme a un altro avviso");
  });

  it("tells apart the same notice number at two councils", () => {
    const twin = { ...B, nav: A.nav };
    expect(
      presentFee(
        { nav: A.nav, amountCents: 500, feeCents: 100, cart: { id: "c", notices: [A, twin] } },
        twin.fiscalCode,
      ).feeCents,
    ).toBeNull();
  });
});

describe("payment methods", () => {
  it("are shown in Italian, whichever vocabulary the receipt uses", () => {
    expect(paymentMethodLabel("creditCard")).toBe("Carta di pagamento");
    expect(paymentMethodLabel("CP")).toBe("Carta di pagamento");
    expect(paymentMethodLabel("cash")).toBe("Contanti");
    expect(paymentMethodLabel("PPAL")).toBe("PayPal");
    expect(paymentMethodLabel("BPAY")).toBe("Bancomat Pay");
    expect(paymentMethodLabel("other")).toBe("Altro");
    expect(paymentMethodLabel("XYZ")).toBe("Altro metodo (XYZ)");
    expect(paymentMethodLabel(null)).toBeNull();
    expect(paymentMethodLabel("  ")).toBeNull();
  });
});
