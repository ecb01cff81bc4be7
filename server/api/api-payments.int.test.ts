import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Deps } from "../platform/deps.ts";
import { councilReturnFor } from "../checkout/index.ts";
import { createPosition } from "../positions/create-position.ts";
import { registerReceipt } from "../positions/register-receipt.ts";
import { makeTenant } from "../test/factories.ts";
import { testDeps } from "../test/support.ts";
import { apiCall, startApi, type RunningApi } from "../test/harness/api/api-server.ts";
import type { Tenant } from "../generated/prisma/client.ts";

const IBAN = "IT60X0542811101000000123456";
const PORTAL = "https://portale.comune.example.it/pagamenti";
const RETURNS = { ok: `${PORTAL}/ok?pratica=7`, cancel: `${PORTAL}/annullato`, error: `${PORTAL}/errore` };
const option = (amountCents: number, dueDate: string) => ({
  amountCents,
  dueDate,
  transfers: [{ amountCents, taxonomyCode: "9/0101002IM/", remittanceText: "TARI 2027", iban: IBAN }],
});
const debtor = { fiscalCode: "RSSMRA80A01H501U", name: "Mario Rossi" };
const actor = { type: "staff" as const, id: "otf-test" };

describe("payments started from a council's portal (OTF)", () => {
  let deps: Deps;
  let api: RunningApi;
  let a: Tenant;
  let b: Tenant;
  let checkout: http.Server;
  const carts: Array<Record<string, any>> = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  let asA: ReturnType<typeof apiCall>;
  let asB: ReturnType<typeof apiCall>;
  let noRow: ReturnType<typeof apiCall>;
  let noPrefixes: ReturnType<typeof apiCall>;
  let single: { nav: string; id: string };
  const t = () => `/tenants/${a.ipaCode}`;

  async function client(tenant: Tenant, prefixes: string[] | null) {
    const clientId = `portale-${randomUUID()}`;
    if (prefixes)
      await deps.db.withTenant(tenant.id, (tx) =>
        tx.apiClient.create({
          data: {
            tenantId: tenant.id,
            clientId,
            name: "Portale",
            roles: ["read", "write", "pay"],
            returnUrlPrefixes: prefixes,
            createdBy: "t",
          },
        }),
      );
    return apiCall(api.base, await api.token({ clientId, ipa: tenant.ipaCode }));
  }

  beforeAll(async () => {
    // pagoPA Checkout, as the outside party: records each cart and answers with its page's URL.
    checkout = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        carts.push(JSON.parse(body));
        res.writeHead(302, { location: `http://checkout.test/pay/${carts.length}` }).end();
      });
    });
    await new Promise<void>((r) => checkout.listen(0, "127.0.0.1", () => r()));
    deps = testDeps({
      CHECKOUT_BASE_URL: `http://127.0.0.1:${(checkout.address() as AddressInfo).port}/checkout/ec/v2`,
      CHECKOUT_RETRIES: "0",
    });
    a = await makeTenant(deps.db, { name: "Comune OTF A" });
    b = await makeTenant(deps.db, { name: "Comune OTF B" });
    api = await startApi(deps);
    asA = await client(a, [PORTAL]);
    asB = await client(b, ["https://portale.altro.example.it/"]);
    noRow = await client(a, null);
    noPrefixes = await client(a, []);
    const created = await createPosition(
      deps.db,
      a,
      {
        debtor,
        subject: "Mensa",
        single: { ...option(4_200, "2027-03-31"), dueDate: new Date("2027-03-31T20:00:00Z") },
      },
      actor,
    );
    single = { nav: created.options[0]!.nav, id: created.id };
  });
  afterAll(async () => {
    await api?.close();
    await deps?.close();
    await new Promise((r) => checkout?.close(r));
  });

  it("refuses a client without registered return-URL prefixes, with the reason", async () => {
    for (const call of [noRow, noPrefixes]) {
      const res = await call("POST", `${t()}/payments`, { items: [{ nav: single.nav }], returnUrls: RETURNS });
      expect(res.status).toBe(403);
      expect(res.json.detail).toMatch(/return-URL prefixes/);
    }
  });

  it.each([
    ["a path beside the prefix", "https://portale.comune.example.it/pagamenti-falsi"],
    ["userinfo", "https://portale.comune.example.it@evil.example/pagamenti"],
    ["another port", "https://portale.comune.example.it:8443/pagamenti"],
    ["a scheme-relative URL", "//evil.example/pagamenti"],
    ["dot segments", "https://portale.comune.example.it/pagamenti/../admin"],
  ])("refuses a return URL with %s (422, naming which)", async (_why, bad) => {
    const res = await asA("POST", `${t()}/payments`, {
      items: [{ nav: single.nav }],
      returnUrls: { ...RETURNS, cancel: bad },
    });
    expect(res.status).toBe(422);
    expect(res.json).toMatchObject({ code: "RETURN_URL_REFUSED" });
    expect(res.json.detail).toMatch(/^returnUrls\.cancel refused/);
  });

  it("creates a plan by externalId, pays its installment 1 with an existing notice, and replays on the same key", async () => {
    const externalId = `TARI-${randomUUID()}`;
    const body = {
      items: [
        { nav: single.nav },
        {
          position: {
            externalId,
            subject: "TARI 2027",
            debtor,
            single: option(30_000, "2027-06-30"),
            installments: [option(15_000, "2027-06-30"), option(15_000, "2027-09-30")],
          },
          installment: 1,
        },
      ],
      returnUrls: RETURNS,
      payerEmail: "mario.rossi@example.org",
    };
    const before = carts.length;
    const key = randomUUID();
    const first = await asA("POST", `${t()}/payments`, body, key);
    expect(first.status, JSON.stringify(first.json)).toBe(201);
    expect(first.json.checkoutUrl).toBe(`http://checkout.test/pay/${before + 1}`);
    expect(first.json.notices.map((n: { amountCents: number }) => n.amountCents)).toEqual([4_200, 15_000]);
    const cart = carts.at(-1)!;
    expect(cart.paymentNotices.map((n: { noticeNumber: string }) => n.noticeNumber)).toEqual(
      first.json.notices.map((n: { nav: string }) => n.nav),
    );
    expect(cart.emailNotice).toBe("mario.rossi@example.org");
    // Checkout returns the citizen to OUR page, never straight to the council.
    expect(cart.returnUrls.returnOkUrl).toMatch(
      new RegExp(`/pagamenti/esito-ente/${first.json.paymentId}\\?esito=ok$`),
    );

    const again = await asA("POST", `${t()}/payments`, body, key);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.json.paymentId).toBe(first.json.paymentId);
    expect(carts.length).toBe(before + 1);

    // Without a key a retry starts another payment but reuses the position created by externalId.
    const retry = await asA("POST", `${t()}/payments`, body);
    expect(retry.status).toBe(201);
    expect(retry.json.notices[1].nav).toBe(first.json.notices[1].nav);
    const positions = await deps.db.withTenant(a.id, (tx) => tx.debtPosition.count({ where: { externalId } }));
    expect(positions).toBe(1);

    const status = await asA("GET", `${t()}/payments/${first.json.paymentId}`);
    expect(status.status).toBe(200);
    expect(status.json).toMatchObject({ paymentId: first.json.paymentId, allPaid: false });
    expect(status.json.notices.map((n: { status: string }) => n.status)).toEqual(["UNPAID", "UNPAID"]);

    // By externalId: installment 2 alone is fine; the single payment beside an installment is not.
    const two = await asA("POST", `${t()}/payments`, {
      items: [{ externalId, installment: 2 }],
      returnUrls: RETURNS,
    });
    expect(two.status).toBe(201);
    const both = await asA("POST", `${t()}/payments`, {
      items: [{ externalId, installment: 2 }, { externalId }],
      returnUrls: RETURNS,
    });
    expect(both.status).toBe(409);
    expect(both.json.code).toBe("CART_CONFLICT");
  });

  it("sends the citizen back to the URL registered for the outcome, whatever the query says", async () => {
    const started = await asA("POST", `${t()}/payments`, { items: [{ nav: single.nav }], returnUrls: RETURNS });
    const id = started.json.paymentId as string;
    expect(await councilReturnFor(deps, id, "ok")).toBe(`${PORTAL}/ok?pratica=7&paymentId=${id}&esito=ok`);
    expect(await councilReturnFor(deps, id, "annullato")).toBe(`${PORTAL}/annullato?paymentId=${id}&esito=annullato`);
    expect(await councilReturnFor(deps, id, "errore")).toBe(`${PORTAL}/errore?paymentId=${id}&esito=errore`);
    expect(await councilReturnFor(deps, id, "https://evil.example")).toBe(
      `${PORTAL}/ok?pratica=7&paymentId=${id}&esito=attesa`,
    );
    expect(await councilReturnFor(deps, "x".repeat(32), "ok")).toBeNull();
  });

  it("applies the cart rules: 1 to 5 notices, no duplicates, nothing paid", async () => {
    const six = await asA("POST", `${t()}/payments`, {
      items: Array.from({ length: 6 }, () => ({ nav: single.nav })),
      returnUrls: RETURNS,
    });
    expect(six.status).toBe(400);
    const twice = await asA("POST", `${t()}/payments`, {
      items: [{ nav: single.nav }, { nav: single.nav }],
      returnUrls: RETURNS,
    });
    expect(twice.status).toBe(422);
    expect(twice.json.code).toBe("CART_INVALID");

    const paid = await createPosition(
      deps.db,
      a,
      {
        debtor,
        subject: "Pagata",
        single: { ...option(1_000, "2027-03-31"), dueDate: new Date("2027-03-31T20:00:00Z") },
      },
      actor,
    );
    const o = paid.options[0]!;
    await registerReceipt(
      deps.db,
      a,
      {
        receiptId: `otf-${randomUUID().slice(0, 20)}`,
        nav: o.nav,
        noticeFiscalCode: a.fiscalCode,
        outcome: "OK",
        creditorReferenceId: o.iuv,
        amountCents: 1_000,
        pspId: "PSPTEST",
        standIn: false,
        transfers: [
          {
            index: 1,
            amountCents: 1_000,
            fiscalCodePA: a.fiscalCode,
            iban: IBAN,
            remittanceText: "x",
            category: "9/0101002IM/",
          },
        ],
      },
      async () => undefined,
    );
    const res = await asA("POST", `${t()}/payments`, { items: [{ nav: o.nav }], returnUrls: RETURNS });
    expect(res.status).toBe(409);
    expect(res.json.code).toBe("NOTICE_PAID");
  });

  it("isolates councils: B cannot pay A's notice nor read A's payment", async () => {
    const started = await asA("POST", `${t()}/payments`, { items: [{ nav: single.nav }], returnUrls: RETURNS });
    const tb = `/tenants/${b.ipaCode}`;
    const pay = await asB("POST", `${tb}/payments`, {
      items: [{ nav: single.nav }],
      returnUrls: {
        ok: "https://portale.altro.example.it/ok",
        cancel: "https://portale.altro.example.it/ko",
        error: "https://portale.altro.example.it/ko",
      },
    });
    expect(pay.status).toBe(404);
    expect(pay.json.code).toBe("NOTICE_UNKNOWN");
    expect((await asB("GET", `${tb}/payments/${started.json.paymentId}`)).status).toBe(404);
    expect((await asB("GET", `${t()}/payments/${started.json.paymentId}`)).status).toBe(403);
  });
});
