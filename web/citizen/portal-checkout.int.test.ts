import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../server/app.ts";
import type { Deps } from "../../server/platform/deps.ts";
import { createPosition } from "../../server/positions/create-position.ts";
import { registerReceipt } from "../../server/positions/register-receipt.ts";
import { makeTenant } from "../../server/test/factories.ts";
import { testDeps } from "../../server/test/support.ts";
import { UNIFORM_REASON } from "../../server/checkout/index.ts";
import { takeReceiptRecipient } from "../../server/notifications/receipt-recipient.ts";
import type { Tenant } from "../../server/generated/prisma/client.ts";

const actor = { type: "staff" as const, id: "portal-checkout-test" };
const IBAN = "IT60X0542811101000000123456";
const DEBTOR = "RSSMRA80A01H501U";
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/'/g, "&#x27;").replace(/"/g, "&quot;");

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * One browser (cookie jar) talking to the portal from its own loopback address, so the test's
 * rate-limit budgets are its own whatever else runs on 127.0.0.1.
 */
class Browser {
  jar: Record<string, string> = {};
  constructor(readonly from: string) {}
  request(base: string, method: string, path: string, form?: Record<string, string>): Promise<Answer> {
    const body = form ? new URLSearchParams(form).toString() : undefined;
    const url = new URL(path, base);
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname + url.search,
          method,
          localAddress: this.from,
          headers: {
            cookie: Object.entries(this.jar)
              .map(([k, v]) => `${k}=${v}`)
              .join("; "),
            ...(body
              ? { "content-type": "application/x-www-form-urlencoded", "content-length": Buffer.byteLength(body) }
              : {}),
          },
        },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (c: string) => (text += c));
          res.on("end", () => {
            for (const c of res.headers["set-cookie"] ?? []) {
              const [k, v] = c.split(";")[0]!.split("=") as [string, string];
              this.jar[k] = v;
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text });
          });
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  }
  get = (base: string, path: string) => this.request(base, "GET", path);
  /** Posts a portal form with this browser's CSRF token. */
  post = (base: string, path: string, form: Record<string, string>) =>
    this.request(base, "POST", path, { _csrf: this.jar.pp_csrf ?? "", ...form });
}

describe("portal checkout: cart rules, receipt e-mail, uniform lookups, shared rate limits", () => {
  let deps: Deps;
  let deps2: Deps;
  const servers: http.Server[] = [];
  let base: string;
  let base2: string;
  let checkout: http.Server;
  const carts: Array<{ emailNotice?: string; paymentNotices: Array<{ noticeNumber: string }> }> = [];
  let tenant: Tenant;
  let host = 10;
  const browser = () => new Browser(`127.0.${Math.floor(Math.random() * 200) + 20}.${++host}`);

  async function position(subject: string, plan: "single" | "both" = "single") {
    const option = (amountCents: number, day: number) => ({
      amountCents,
      dueDate: new Date(`2027-0${day}-28T10:00:00Z`),
      transfers: [{ iban: IBAN, amountCents, taxonomyCode: "9/0101002IM/", remittanceText: subject }],
    });
    return createPosition(
      deps.db,
      tenant,
      {
        debtor: { fiscalCode: DEBTOR, name: "Mario Rossi", address: "Via Roma 1" },
        subject,
        single: option(31_500, 3),
        ...(plan === "both" ? { installments: [option(10_500, 3), option(10_500, 4), option(10_500, 5)] } : {}),
      },
      actor,
    );
  }

  beforeAll(async () => {
    checkout = http.createServer((req, res) => {
      let raw = "";
      req.on("data", (c) => (raw += c));
      req.on("end", () => {
        carts.push(JSON.parse(raw));
        res.writeHead(302, { location: "http://checkout.test/pay" }).end();
      });
    });
    await new Promise<void>((r) => checkout.listen(0, "127.0.0.1", () => r()));
    const config = {
      CHECKOUT_BASE_URL: `http://127.0.0.1:${(checkout.address() as AddressInfo).port}/checkout/ec/v2`,
      CHECKOUT_RETRIES: "0",
    };
    // Two api processes of one platform: separate apps and Redis connections, one Redis.
    deps = testDeps(config);
    deps2 = testDeps(config);
    tenant = await makeTenant(deps.db, { name: "Comune di Borgo Fiorito" });
    await deps.db.withTenant(tenant.id, (tx) =>
      tx.paymentType.create({
        data: {
          tenantId: tenant.id,
          code: "CERT",
          name: "Certificato anagrafico",
          taxonomyCode: "9/0101002IM/",
          availableOnPortal: true,
          defaultTransfers: [{ accountIban: IBAN, shareBasisPoints: 10_000 }],
          formDefinition: {
            fields: [{ name: "copie", label: "Numero di copie", type: "text", required: true }],
            subjectTemplate: "Certificato - {{copie}} copie",
          },
          amountRule: { kind: "fixed", amountCents: 1_600 },
        },
      }),
    );
    for (const d of [deps, deps2]) {
      const server = createApp(d).listen(0, "127.0.0.1");
      await new Promise((resolve) => server.once("listening", resolve));
      servers.push(server);
    }
    base = `http://127.0.0.1:${(servers[0]!.address() as AddressInfo).port}`;
    base2 = `http://127.0.0.1:${(servers[1]!.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const s of [...servers, checkout]) await new Promise((resolve) => s.close(resolve));
    await deps.close();
    await deps2.close();
  });

  it("refuses the single payment beside an installment of the same position, with the rows labelled", async () => {
    const tari = await position("TARI 2026 - utenza domestica", "both");
    const single = tari.options.find((o) => o.installmentNumber === null)!;
    const first = tari.options.find((o) => o.installmentNumber === 1)!;
    const b = browser();
    await b.get(base, "/paga-avviso");
    expect(
      (await b.post(base, "/paga-avviso/aggiungi", { nav: first.nav, creditorFiscalCode: tenant.fiscalCode })).status,
    ).toBe(303);
    const refused = await b.post(base, "/paga-avviso/aggiungi", {
      nav: single.nav,
      creditorFiscalCode: tenant.fiscalCode,
    });
    expect(refused.status).toBe(409);
    expect(refused.body).toContain(esc("puoi pagare in unica soluzione oppure a rate, non in entrambi i modi"));
    const cart = await b.get(base, "/carrello");
    expect(cart.body).toContain("Rata 1 di 3");
    expect(cart.body).not.toContain(single.nav.slice(-6));
  });

  it("tells an anonymous visitor the same thing for an unknown and a paid notice; the debtor learns why", async () => {
    const paid = (await position("Diritti di segreteria")).options[0]!;
    await registerReceipt(
      deps.db,
      tenant,
      {
        receiptId: `rcpt-uniform-${Date.now()}`,
        nav: paid.nav,
        noticeFiscalCode: tenant.fiscalCode,
        outcome: "OK",
        creditorReferenceId: paid.iuv,
        amountCents: 31_500,
        pspId: "PSPTEST",
        standIn: false,
        paymentDateTime: new Date(),
        transfers: [
          {
            index: 1,
            amountCents: 31_500,
            fiscalCodePA: tenant.fiscalCode,
            iban: IBAN,
            remittanceText: "x",
            category: "9/0101002IM/",
          },
        ],
      },
      async () => undefined,
    );
    const unknown = `${paid.nav.slice(0, 12)}999999`;
    const b = browser();
    await b.get(base, "/paga-avviso");
    const answers = await Promise.all(
      [paid.nav, unknown].map((nav) => b.post(base, "/paga-avviso", { nav, creditorFiscalCode: tenant.fiscalCode })),
    );
    for (const a of answers) {
      expect(a.status).toBe(422);
      expect(a.body).toContain(esc(UNIFORM_REASON));
      expect(a.body).not.toContain("già pagato");
    }
    const debtor = await b.post(base, "/paga-avviso", {
      nav: paid.nav,
      creditorFiscalCode: tenant.fiscalCode,
      debtorFiscalCode: DEBTOR,
    });
    expect(debtor.body).toContain(esc("Questo avviso risulta già pagato."));
  });

  it("uses the e-mail typed on the service form for the receipt of that checkout, asked once and validated", async () => {
    const b = browser();
    await b.get(base, `/enti/${tenant.ipaCode}/servizi/CERT`);
    const bad = await b.post(base, `/enti/${tenant.ipaCode}/servizi/CERT`, {
      copie: "2",
      debtorFiscalCode: DEBTOR,
      debtorName: "Mario Rossi",
      debtorEmail: "mario@",
    });
    expect(bad.status).toBe(422);
    expect(bad.body).toContain("E-mail per ricevere la ricevuta");
    const ok = await b.post(base, `/enti/${tenant.ipaCode}/servizi/CERT`, {
      copie: "2",
      debtorFiscalCode: DEBTOR,
      debtorName: "Mario Rossi",
      debtorEmail: "mario@example.org",
    });
    expect(ok.status).toBe(303);
    const cart = await b.get(base, "/carrello");
    expect(cart.body).toMatch(/name="email"[^>]*value="mario@example.org"|value="mario@example.org"[^>]*name="email"/s);
    const nav = /\/carrello\/avvisi\/(\d{18})/.exec(cart.body)![1]!; // the debtor typed their data: the notice is theirs to download

    expect((await b.post(base, "/carrello/paga", { email: "mario@" })).status).toBe(422);
    const paid = await b.post(base, "/carrello/paga", { email: "mario@example.org" });
    expect(paid.status).toBe(303);
    expect(paid.headers.location).toBe("http://checkout.test/pay");
    expect(carts.at(-1)).toMatchObject({ emailNotice: "mario@example.org", paymentNotices: [{ noticeNumber: nav }] });
    // The worker gives that address to the receipt of this payment only.
    const take = (receiptId: string, paidAt: Date) =>
      takeReceiptRecipient(deps.redis, deps.config.QUEUE_PREFIX, { tenantId: tenant.id, nav, receiptId, paidAt });
    await expect(take("r-this", new Date())).resolves.toBe("mario@example.org");
    await expect(take("r-later", new Date(Date.now() + 86_400_000))).resolves.toBeNull();
  });

  it("slows an anonymous client with 429 and Retry-After, counting across two api processes", async () => {
    // Per address: no cookies at all (a script), alternating between the two processes.
    const script = browser();
    let lastStatus = 0;
    let sent = 0;
    for (; sent < 200; sent++) {
      const a = await new Browser(script.from).request(sent % 2 ? base2 : base, "POST", "/paga-avviso", {
        nav: "1",
        creditorFiscalCode: "1",
      });
      lastStatus = a.status;
      if (a.status === 429) {
        expect(Number(a.headers["retry-after"])).toBeGreaterThan(0);
        expect(a.body).toContain("Troppe richieste");
        break;
      }
    }
    expect(lastStatus).toBe(429);
    expect(sent).toBeGreaterThanOrEqual(30); // a person is never in the way...
    expect(sent).toBeLessThan(100); // ...a script is, well before 200 a minute
    // Another address is unaffected.
    const other = browser();
    expect((await other.get(base2, "/paga-avviso")).status).toBe(200);
  });
});
