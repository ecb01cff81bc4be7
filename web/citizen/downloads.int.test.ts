import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../server/app.ts";
import type { Deps } from "../../server/platform/deps.ts";
import { createPosition } from "../../server/positions/create-position.ts";
import { registerReceipt } from "../../server/positions/register-receipt.ts";
import { makeTenant } from "../../server/test/factories.ts";
import { testDeps } from "../../server/test/support.ts";
import { pdfText } from "../../server/test/harness/notices/pdf-inspect.ts";
import type { Tenant } from "../../server/generated/prisma/client.ts";
import { addToCart, CartStore, type CartItem } from "../../server/checkout/index.ts";
import { CART_COOKIE } from "./citizen.context.ts";

const actor = { type: "staff" as const, id: "downloads-test" };
const grouped = (nav: string) => nav.replace(/(\d{4})(?=\d)/g, "$1 ");

describe("citizen portal PDF downloads (access by cart cookie, checkout id, receipt token)", () => {
  let deps: Deps;
  let server: Server;
  let base: string;
  let carts: CartStore;
  let tenant: Tenant;
  let other: Tenant;
  let mine: CartItem;
  let theirs: CartItem;

  async function position(t: Tenant, subject: string) {
    const created = await createPosition(
      deps.db,
      t,
      {
        debtor: { fiscalCode: "ANONIMO", name: "Cittadino" },
        subject,
        single: {
          amountCents: 2_500,
          dueDate: new Date("2026-12-31T10:00:00Z"),
          transfers: [
            {
              iban: "IT60X0542811101000000123456",
              amountCents: 2_500,
              taxonomyCode: "9/0101002IM/",
              remittanceText: subject,
            },
          ],
        },
      },
      actor,
    );
    const item: CartItem = {
      tenantId: t.id,
      ipaCode: t.ipaCode,
      creditorFiscalCode: t.fiscalCode,
      companyName: t.name,
      nav: created.options[0]!.nav,
      amountCents: 2_500,
      description: subject,
      positionId: created.id,
      installment: null,
      debtorKnown: true,
    };
    return { created, item };
  }
  const get = (path: string, cookie?: string) => fetch(`${base}${path}`, { headers: cookie ? { cookie } : {} });

  beforeAll(async () => {
    deps = testDeps();
    carts = new CartStore(deps.redis, `${deps.config.QUEUE_PREFIX}:portal`);
    tenant = await makeTenant(deps.db, { name: "Comune di Borgo Fiorito" });
    other = await makeTenant(deps.db, { name: "Comune di Valle Serena" });
    mine = (await position(tenant, "Diritti di segreteria")).item;
    theirs = (await position(other, "Mensa scolastica")).item;
    server = createApp(deps).listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await deps.close();
  });

  it("gives the notice of a NAV in the visitor's own cart, and nothing else", async () => {
    const { cartId } = await addToCart({ carts }, undefined, mine);
    const cookie = `${CART_COOKIE}=${cartId}`;

    const res = await get(`/carrello/avvisi/${mine.nav}`, cookie);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("content-disposition")).toBe(
      `attachment; filename="avviso-${mine.nav}-${tenant.ipaCode}.pdf"`,
    );
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    const text = await pdfText(Buffer.from(await res.arrayBuffer()));
    expect(text).toContain(grouped(mine.nav));
    expect(text).toContain("Diritti di segreteria");

    // Another council's real NAV, a NAV without a cart, a forged cart id: all simply not found.
    for (const [path, c] of [
      [`/carrello/avvisi/${theirs.nav}`, cookie],
      [`/carrello/avvisi/${mine.nav}`, undefined],
      [`/carrello/avvisi/${mine.nav}`, `${CART_COOKIE}=${"x".repeat(32)}`],
      [`/carrello/avvisi/not-a-nav`, cookie],
    ] as const) {
      const denied = await get(path, c);
      expect(denied.status, path).toBe(404);
      expect(denied.headers.get("content-type")).not.toContain("pdf");
    }
  });

  it("keeps the notices of a submitted payment downloadable by its checkout id", async () => {
    const { cartId } = await addToCart({ carts }, undefined, mine);
    const checkoutId = carts.newId();
    await carts.submit(cartId, checkoutId, await carts.get(cartId));

    const res = await get(`/esito/${checkoutId}/avvisi/${mine.nav}`);
    expect(res.status).toBe(200);
    expect(await pdfText(Buffer.from(await res.arrayBuffer()))).toContain(grouped(mine.nav));
    expect((await get(`/esito/${checkoutId}/avvisi/${theirs.nav}`)).status).toBe(404);
    expect((await get(`/esito/${carts.newId()}/avvisi/${mine.nav}`)).status).toBe(404);
  });

  it("gives no notice (it names the debtor) to a visitor who did not show they know the debtor", async () => {
    const { item } = await position(tenant, "Mensa");
    const { cartId } = await addToCart({ carts }, undefined, { ...item, debtorKnown: false });
    expect((await get(`/carrello/avvisi/${item.nav}`, `${CART_COOKIE}=${cartId}`)).status).toBe(404);
    const checkoutId = carts.newId();
    await carts.submit(cartId, checkoutId, await carts.get(cartId));
    expect((await get(`/esito/${checkoutId}/avvisi/${item.nav}`)).status).toBe(404);
    // The cart page offers no download link for it either.
    const { cartId: other } = await addToCart({ carts }, undefined, { ...item, debtorKnown: false });
    const page = await (await get("/carrello", `${CART_COOKIE}=${other}`)).text();
    expect(page).toContain(item.nav.slice(0, 4));
    expect(page).not.toContain(`/carrello/avvisi/${item.nav}`);
  });

  it("gives the receipt PDF behind the payer's link and links to it from the receipt page", async () => {
    const { created, item } = await position(tenant, "Certificato");
    const stored = await registerReceipt(
      deps.db,
      tenant,
      {
        receiptId: `rcpt-dl-${Date.now()}`,
        nav: item.nav,
        noticeFiscalCode: tenant.fiscalCode,
        outcome: "OK",
        creditorReferenceId: created.options[0]!.iuv,
        amountCents: 2_500,
        feeCents: 100,
        pspId: "PSPTEST",
        pspName: "PSP di prova",
        standIn: false,
        paymentDateTime: new Date("2026-05-04T08:00:00Z"),
        paymentMethod: "creditCard",
        payer: { fiscalCode: "BNCGLI85M45L736L", name: "Giulia D'Angelo & Figli" },
        transfers: [
          {
            index: 1,
            amountCents: 2_500,
            fiscalCodePA: tenant.fiscalCode,
            iban: "IT60X0542811101000000123456",
            remittanceText: "Certificato",
            category: "9/0101002IM/",
          },
        ],
      },
      async () => undefined,
    );

    const page = await get(`/ricevute/${stored.accessToken}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`href="/ricevute/${stored.accessToken}/pdf"`);
    // What a citizen needs to read on the page: total paid, payer, beneficiary by name, method in Italian, Rome time.
    expect(html).toContain("totale pagato <strong>26,00 €</strong>");
    expect(html).toContain("Giulia D&#x27;Angelo &amp; Figli (C.F. BNCGLI85M45L736L)");
    expect(html).toContain(`<td>${tenant.name}<br>`);
    expect(html).toContain("Carta di pagamento");
    expect(html).not.toContain("creditCard");
    expect(html).toContain("il 04/05/2026 10:00 (ora italiana)");

    const res = await get(`/ricevute/${stored.accessToken}/pdf`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(
      new RegExp(`filename="ricevuta-rcpt-dl-\\d+-${tenant.ipaCode}\\.pdf"`),
    );
    const text = await pdfText(Buffer.from(await res.arrayBuffer()));
    expect(text).toContain("RICEVUTA DI PAGAMENTO");
    expect(text).toContain("04/05/2026 10:00");
    expect(
      (await get(`/ricevute/${stored.accessToken.replace(/.$/, (c) => (c === "A" ? "B" : "A"))}/pdf`)).status,
    ).toBe(404);
  });
});
