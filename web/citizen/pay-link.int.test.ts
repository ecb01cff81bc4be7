import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../server/app.ts";
import type { Deps } from "../../server/platform/deps.ts";
import { payLinkKey, signPayLink } from "../../server/checkout/index.ts";
import { makeTenant } from "../../server/test/factories.ts";
import { testDeps } from "../../server/test/support.ts";
import { apiCall, startApi, type RunningApi } from "../../server/test/harness/api/api-server.ts";
import type { Tenant } from "../../server/generated/prisma/client.ts";

const IBAN = "IT60X0542811101000000123456";
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/'/g, "&#x27;").replace(/"/g, "&quot;");
const option = (amountCents: number, dueDate: string) => ({
  amountCents,
  dueDate,
  transfers: [{ amountCents, taxonomyCode: "9/0101002IM/", remittanceText: "Mensa scolastica", iban: IBAN }],
});

/** A browser: a cookie jar over fetch, redirects left to the test. */
function browser(base: string) {
  const jar: Record<string, string> = {};
  return async (method: string, path: string, form?: Record<string, string>) => {
    const res = await fetch(new URL(path, base), {
      method,
      redirect: "manual",
      headers: {
        cookie: Object.entries(jar)
          .map(([k, v]) => `${k}=${v}`)
          .join("; "),
        ...(form ? { "content-type": "application/x-www-form-urlencoded" } : {}),
      },
      body: form ? new URLSearchParams({ _csrf: jar.pp_csrf ?? "", ...form }).toString() : undefined,
    });
    for (const c of res.headers.getSetCookie()) {
      const [k, v] = c.split(";")[0]!.split("=") as [string, string];
      jar[k] = v;
    }
    return { status: res.status, location: res.headers.get("location"), body: await res.text() };
  };
}

describe("signed pay link: issued through the API, opened and paid on the portal", () => {
  let deps: Deps;
  let api: RunningApi;
  let server: http.Server;
  let checkout: http.Server;
  let base: string;
  let tenant: Tenant;
  let call: ReturnType<typeof apiCall>;
  let t: string;
  const carts: Array<{ paymentNotices: Array<{ noticeNumber: string; fiscalCode: string }> }> = [];

  const create = async (installments = false) => {
    const made = await call("POST", `${t}/positions`, {
      externalId: `L-${randomUUID()}`,
      subject: "Mensa scolastica",
      debtor: { fiscalCode: "RSSMRA80A01H501U", name: "Mario Rossi" },
      single: option(9_000, "2027-06-30"),
      ...(installments ? { installments: [option(4_500, "2027-06-30"), option(4_500, "2027-09-30")] } : {}),
    });
    expect(made.status).toBe(201);
    return made.json as { id: string; options: Array<{ nav: string; kind: string; installmentNumber: number | null }> };
  };
  const pathOf = (url: string) => new URL(url).pathname;

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
    deps = testDeps({
      CHECKOUT_BASE_URL: `http://127.0.0.1:${(checkout.address() as AddressInfo).port}/checkout/ec/v2`,
      CHECKOUT_RETRIES: "0",
    });
    tenant = await makeTenant(deps.db, { name: "Comune di Valle Serena" });
    api = await startApi(deps);
    call = apiCall(api.base, await api.token({ clientId: `gestionale-${randomUUID()}`, ipa: tenant.ipaCode }));
    t = `/tenants/${tenant.ipaCode}`;
    server = createApp(deps).listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const s of [server, checkout]) await new Promise((resolve) => s?.close(resolve));
    await api?.close();
    await deps?.close();
  });

  it("issues a link for the single payment, a chosen installment, with its expiry; refuses another position's NAV", async () => {
    const plan = await create(true);
    const single = plan.options.find((o) => o.kind === "SINGLE")!;
    const second = plan.options.find((o) => o.installmentNumber === 2)!;
    const before = Date.now();
    const link = await call("POST", `${t}/positions/${plan.id}/pay-links`, {});
    expect(link.status, JSON.stringify(link.json)).toBe(201);
    expect(link.json.nav).toBe(single.nav);
    expect(link.json.url).toMatch(new RegExp(`^${deps.config.PUBLIC_BASE_URL}/paga/[\\w-]+\\.[\\w-]+$`));
    const days = (Date.parse(link.json.expiresAt) - before) / 86_400_000;
    expect(days).toBeGreaterThan(29.99);
    expect(days).toBeLessThan(30.01);
    const chosen = await call("POST", `${t}/positions/${plan.id}/pay-links`, { nav: second.nav, expiresInDays: 3 });
    expect(chosen.json.nav).toBe(second.nav);
    const other = await create();
    const refused = await call("POST", `${t}/positions/${plan.id}/pay-links`, { nav: other.options[0]!.nav });
    expect(refused.status).toBe(404);
    const cancelled = await create();
    await call("POST", `${t}/positions/${cancelled.id}/cancel`, { reason: "emessa per errore" });
    const nothing = await call("POST", `${t}/positions/${cancelled.id}/pay-links`, {});
    expect(nothing.status).toBe(409);
    expect(nothing.json.code).toBe("NOTICE_NOTHING_TO_PAY");
  });

  it("opens on the portal with the council, the notice and its amount, and pays it through Checkout", async () => {
    const position = await create();
    const { json } = await call("POST", `${t}/positions/${position.id}/pay-links`, {});
    const b = browser(base);
    const page = await b("GET", pathOf(json.url));
    expect(page.status).toBe(200);
    expect(page.body).toContain(esc("Comune di Valle Serena"));
    expect(page.body).toContain("90,00");
    expect(page.body).toContain(`>${json.nav.slice(12, 16)}</span>`);
    const added = await b("POST", pathOf(json.url), {});
    expect(added.status).toBe(303);
    expect(added.location).toBe("/carrello");
    expect((await b("GET", "/carrello")).body).toContain(`>${json.nav.slice(12, 16)}</span>`);
    const paid = await b("POST", "/carrello/paga", { email: "" });
    expect(paid.location).toBe("http://checkout.test/pay");
    expect(carts.at(-1)!.paymentNotices).toEqual([
      expect.objectContaining({ noticeNumber: json.nav, fiscalCode: tenant.fiscalCode }),
    ]);
  });

  it("shows a clear Italian page for a tampered, cut, foreign-key or expired link, and tells why a notice is closed", async () => {
    const position = await create();
    const { json } = await call("POST", `${t}/positions/${position.id}/pay-links`, {});
    const b = browser(base);
    const token = pathOf(json.url).slice("/paga/".length);
    const [payload, mac] = token.split(".") as [string, string];
    const decoded = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    const otherNav = Buffer.from(JSON.stringify({ ...decoded, n: "3".padEnd(18, "1") })).toString("base64url");
    const foreignKey = signPayLink(
      payLinkKey({ STAFF_SESSION_SECRET: "another-secret-entirely", PAY_LINK_SECRET: undefined }),
      {
        ipa: tenant.ipaCode,
        nav: json.nav,
        expiresAt: new Date(Date.now() + 86_400_000),
      },
    );
    for (const bad of [`${otherNav}.${mac}`, token.slice(0, -6), foreignKey]) {
      const page = await b("GET", `/paga/${bad}`);
      expect(page.status, bad).toBe(400);
      expect(page.body).toContain("Link di pagamento non valido");
      expect(page.body).toContain(esc("Questo link di pagamento non è valido"));
      expect((await b("POST", `/paga/${bad}`, {})).status).toBe(400);
    }
    const expired = signPayLink(payLinkKey(deps.config), {
      ipa: tenant.ipaCode,
      nav: json.nav,
      expiresAt: new Date("2026-11-30T12:00:00Z"),
    });
    const old = await b("GET", `/paga/${expired}`);
    expect(old.status).toBe(410);
    expect(old.body).toContain(esc("Questo link di pagamento è scaduto il 30/11/2026"));

    await call("POST", `${t}/positions/${position.id}/cancel`, { reason: "sgravio" });
    const closed = await b("GET", pathOf(json.url));
    expect(closed.status).toBe(422);
    expect(closed.body).toContain(esc("Questo avviso è stato annullato dall'ente."));
  });
});
