import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Deps } from "../platform/deps.ts";
import { listRoutes, type RouteInfo } from "../platform/http/list-routes.ts";
import { createPosition } from "../positions/create-position.ts";
import { payOptionForTest } from "../test/harness/paid-receipt.ts";
import { startImport } from "../imports/index.ts";
import { importTreasuryFile } from "../treasury/index.ts";
import { Readable } from "node:stream";
import { makeTenant } from "../test/factories.ts";
import { testDeps } from "../test/support.ts";
import { apiCall, startApi, type RunningApi } from "../test/harness/api/api-server.ts";
import type { Tenant } from "../generated/prisma/client.ts";

const actor = { type: "staff" as const, id: "isolation" };
const IBAN = "IT60X0542811101000000123456";
const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * The API's isolation matrix: every route, enumerated from the router, asked by a council system
 * of tenant A for tenant B's objects, both through B's code (403) and through A's code with B's
 * ids (404), and every write asked by a client of A without the write role (403). A route with a
 * parameter this test has no value for, or a write without a body here, fails the suite: add its case.
 */
describe("API isolation matrix (routes enumerated from the router)", () => {
  let deps: Deps;
  let api: RunningApi;
  let a: Tenant;
  let b: Tenant;
  let asA: ReturnType<typeof apiCall>;
  let readerOfA: ReturnType<typeof apiCall>;
  /** Objects of each tenant, by the route parameter (or role) that names them. */
  const ofA: Record<string, string> = {};
  const ofB: Record<string, string> = {};
  let routes: RouteInfo[];
  let checkout: http.Server;
  const PORTAL = "https://portale.example.it/pagamenti";

  /** A council system of `t` holding every API role, registered with return-URL prefixes (OTF payments). */
  async function systemOf(t: Tenant) {
    const clientId = `gestionale-${randomUUID()}`;
    await deps.db.withTenant(t.id, (tx) =>
      tx.apiClient.create({
        data: {
          tenantId: t.id,
          clientId,
          name: "Gestionale",
          roles: ["read", "write", "pay"],
          returnUrlPrefixes: [PORTAL],
          createdBy: "t",
        },
      }),
    );
    return apiCall(api.base, await api.token({ clientId, ipa: t.ipaCode }));
  }

  async function objects(t: Tenant, into: Record<string, string>) {
    const input = (subject: string, externalId?: string) => ({
      externalId,
      debtor: { fiscalCode: "RSSMRA80A01H501U", name: "Mario Rossi" },
      subject,
      single: {
        amountCents: 1_000,
        dueDate: new Date("2027-03-31T10:00:00Z"),
        transfers: [{ iban: IBAN, amountCents: 1_000, taxonomyCode: "9/0101002IM/", remittanceText: subject }],
      },
    });
    const open = await createPosition(deps.db, t, input("Aperta", `ext-${t.ipaCode}`), actor);
    into.positionId = open.id;
    into.externalId = `ext-${t.ipaCode}`;
    into.nav = open.options[0]!.nav;
    into.iuv = open.options[0]!.iuv;
    into.toCancel = (await createPosition(deps.db, t, input("Da annullare"), actor)).id;
    into.toMarkPaid = (await createPosition(deps.db, t, input("Da pagare allo sportello"), actor)).id;
    const paid = (await createPosition(deps.db, t, input("Pagata"), actor)).options[0]!;
    into.receiptId = `rcpt-iso-${t.ipaCode}`;
    await payOptionForTest(deps.db, t, paid, into.receiptId, IBAN);
    // Webhook endpoints of the council (the webhook routes' :endpointId; DELETE gets its own).
    const endpoint = (name: string) =>
      deps.db.withTenant(t.id, (tx) =>
        tx.webhookEndpoint.create({
          data: {
            tenantId: t.id,
            url: `https://hooks.example/${t.ipaCode}/${name}`,
            events: ["position.created"],
            secret: "whsec_dGVzdA==",
          },
        }),
      );
    into.endpointId = (await endpoint("eventi")).id;
    into.endpointToDelete = (await endpoint("da-eliminare")).id;
    // An import of the council (the imports routes' :importId; its outcome in the native layout).
    into.importId = (
      await startImport(
        deps,
        t,
        {
          name: `iso-${t.ipaCode}.csv`,
          content: Readable.from([Buffer.from(`id_esterno;importo\n${t.ipaCode};1,00\n`)]),
          source: "API",
        },
        actor,
      )
    ).import.id;
    into.layout = "native";
    // A treasury journal of the council (the treasury-files routes' :treasuryFileId).
    into.treasuryFileId = (
      await importTreasuryFile(deps.db, t.id, {
        fileName: `giornale-${t.ipaCode}.csv`,
        bytes: Buffer.from(`data_valuta;importo_centesimi;causale;trn\n2026-11-22;100;ISO ${t.ipaCode};TRN-1\n`),
      })
    ).importId;
    // Old enough for the receipts feed to show it (FEED_SETTLE_MS).
    await deps.db.withTenant(t.id, (tx) =>
      tx.receipt.updateMany({ where: { tenantId: t.id }, data: { receivedAt: new Date(Date.now() - 60_000) } }),
    );
  }

  beforeAll(async () => {
    // pagoPA Checkout (outside party) for the OTF payment routes.
    checkout = http.createServer((_req, res) => res.writeHead(302, { location: "http://checkout.test/pay" }).end());
    await new Promise<void>((r) => checkout.listen(0, "127.0.0.1", () => r()));
    deps = testDeps({
      CHECKOUT_BASE_URL: `http://127.0.0.1:${(checkout.address() as AddressInfo).port}/checkout/ec/v2`,
      CHECKOUT_RETRIES: "0",
      IMPORT_STORAGE_DIR: `/tmp/pontepa-api-isolation-${process.pid}`,
    });
    a = await makeTenant(deps.db, { name: "Comune A" });
    b = await makeTenant(deps.db, { name: "Comune B" });
    await objects(a, ofA);
    await objects(b, ofB);
    api = await startApi(deps);
    routes = listRoutes(api.router);
    // A council system of A holding every API role: only the tenant boundary may stop it.
    asA = await systemOf(a);
    const payment = (t: Tenant, into: Record<string, string>, call: ReturnType<typeof apiCall>) =>
      call("POST", `/tenants/${t.ipaCode}/payments`, {
        items: [{ nav: into.nav }],
        returnUrls: { ok: PORTAL, cancel: PORTAL, error: PORTAL },
      }).then((r) => (into.paymentId = r.json.paymentId as string));
    await payment(a, ofA, asA);
    await payment(b, ofB, await systemOf(b));
    readerOfA = apiCall(
      api.base,
      await api.token({ clientId: "lettore-a", ipa: a.ipaCode, roles: ["positions.read", "receipts.read"] }),
    );
  });
  afterAll(async () => {
    await api?.close();
    await deps?.close();
    await new Promise((r) => checkout?.close(r));
  });

  /** The value of each path parameter: a write that changes a position gets its own position. */
  const fill = (route: RouteInfo, ipa: string, values: Record<string, string>) =>
    route.path.replace(/:(\w+)/g, (_m, name: string) => {
      if (name === "ipa") return ipa;
      const key = name === "positionId" ? (/\/(cancel|mark-paid)$/.exec(route.path)?.[1] ?? name) : name;
      const value =
        route.method === "DELETE" && name === "endpointId"
          ? values.endpointToDelete
          : values[key === "cancel" ? "toCancel" : key === "mark-paid" ? "toMarkPaid" : key];
      if (!value)
        throw new Error(`No isolation case for the route parameter :${name} (${route.path}): add one to this test`);
      return encodeURIComponent(value);
    });
  const bodyOf = (route: RouteInfo): unknown => {
    if (!WRITES.has(route.method)) return undefined;
    const key = `${route.method} ${route.path.replace(/^\/tenants\/:ipa/, "")}`;
    const bodies: Record<string, unknown> = {
      "POST /positions": {
        externalId: `iso-${randomUUID()}`,
        subject: "Nuova",
        debtor: { fiscalCode: "RSSMRA80A01H501U", name: "Mario Rossi" },
        single: {
          amountCents: 500,
          dueDate: "2027-05-31",
          transfers: [{ amountCents: 500, taxonomyCode: "9/0101002IM/", remittanceText: "x", iban: IBAN }],
        },
      },
      "POST /positions/batch": {
        positions: [
          {
            subject: "Nuova in lotto",
            debtor: { fiscalCode: "RSSMRA80A01H501U", name: "Mario Rossi" },
            single: {
              amountCents: 500,
              dueDate: "2027-05-31",
              transfers: [{ amountCents: 500, taxonomyCode: "9/0101002IM/", remittanceText: "x", iban: IBAN }],
            },
          },
        ],
      },
      "PATCH /positions/:positionId": { subject: "Oggetto modificato" },
      "POST /positions/:positionId/cancel": { reason: "Prova di isolamento" },
      "POST /positions/:positionId/mark-paid": { reason: "Prova di isolamento" },
      "POST /webhooks": { url: "https://hooks.example/nuovo", events: ["position.paid"] },
      "PATCH /webhooks/:endpointId": { events: ["position.created", "position.paid"], paused: false },
      "DELETE /webhooks/:endpointId": undefined,
      "POST /webhooks/:endpointId/rotate-secret": { overlapHours: 1 },
      // The positions made above raised position.created events in this range.
      "POST /webhooks/:endpointId/replay": {
        from: new Date(Date.now() - 86_400_000).toISOString(),
        to: new Date(Date.now() + 86_400_000).toISOString(),
      },
      "POST /positions/:positionId/pay-links": {},
      "POST /imports": uploadForm(),
      "POST /treasury-files": journalForm(),
      "POST /payments": {
        items: [{ externalId: `ext-${a.ipaCode}` }],
        returnUrls: { ok: PORTAL, cancel: PORTAL, error: PORTAL },
      },
    };
    if (!(key in bodies)) throw new Error(`No isolation body for ${key}: add one to this test`);
    return bodies[key];
  };
  /** A multipart upload (the same small file each time: a repeat is the earlier import). */
  function uploadForm() {
    const form = new FormData();
    form.append("file", new Blob(["id_esterno;tipo_dovuto\nISO-1;MENSA\n"], { type: "text/csv" }), "isolamento.csv");
    return form;
  }
  /** A treasury journal upload (the same bytes each time: a repeat is the earlier journal). */
  function journalForm() {
    const form = new FormData();
    const csv = "data_valuta;importo_centesimi;causale;trn\n2026-11-23;250;ACCREDITO DI PROVA;TRN-ISO\n";
    form.append("file", new Blob([csv], { type: "text/csv" }), "giornale-isolamento.csv");
    return form;
  }
  const hasObject = (route: RouteInfo) => route.params.some((p) => p !== "ipa");

  it("covers every route of the router, each under a tenant", () => {
    expect(routes.length).toBeGreaterThanOrEqual(18);
    for (const route of routes) {
      expect(route.params[0], route.path).toBe("ipa");
      fill(route, a.ipaCode, ofA);
      bodyOf(route);
    }
  });

  it("serves tenant A its own objects (the matrix below is not vacuous)", async () => {
    for (const route of routes) {
      const res = await asA(route.method, fill(route, a.ipaCode, ofA), bodyOf(route));
      expect(res.status, `${route.method} ${route.path}: ${JSON.stringify(res.json)}`).toBeLessThan(300);
    }
  });

  it("refuses tenant B's code with 403 and B's ids under A's code with 404, and never shows B's data", async () => {
    // Every object of B is a secret; an outcome layout's name is the same word for everyone.
    const secretsOfB = Object.entries(ofB)
      .filter(([name]) => name !== "layout")
      .map(([, value]) => value);
    for (const route of routes) {
      const byCode = await asA(route.method, fill(route, b.ipaCode, ofB), bodyOf(route));
      expect(byCode.status, `${route.method} ${route.path} with B's code`).toBe(403);
      expect(byCode.headers.get("content-type")).toContain("application/problem+json");
      const byId = await asA(route.method, fill(route, a.ipaCode, ofB), bodyOf(route));
      // What the answer tells beyond the URL we sent (a problem's `instance` echoes it).
      const seen = JSON.stringify({ ...byId.json, instance: undefined });
      if (hasObject(route)) {
        expect(byId.status, `${route.method} ${route.path} with B's ids`).toBe(404);
        expect(byId.headers.get("content-type")).toContain("application/problem+json");
      } else {
        expect(byId.status, `${route.method} ${route.path}`).toBeLessThan(300);
      }
      for (const secret of secretsOfB)
        expect(seen, `${route.method} ${route.path} shows ${secret}`).not.toContain(secret);
    }
    // B's objects are untouched by everything A's client tried.
    const untouched = await deps.db.withTenant(b.id, (tx) =>
      tx.debtPosition.findMany({ where: { tenantId: b.id }, select: { status: true, subject: true } }),
    );
    expect(untouched.map((p) => p.status).sort()).toEqual(["PAID", "VALID", "VALID", "VALID"]);
    expect(untouched.map((p) => p.subject)).not.toContain("Oggetto modificato");
  });

  it("refuses every write to a client of A without the write role", async () => {
    const writes = routes.filter((r) => WRITES.has(r.method));
    expect(writes.length).toBeGreaterThanOrEqual(4);
    for (const route of writes) {
      const res = await readerOfA(route.method, fill(route, a.ipaCode, ofA), bodyOf(route));
      expect(res.status, `${route.method} ${route.path}`).toBe(403);
      expect(res.json.detail).toMatch(/^This client lacks the role (positions|payments)\.write$/);
    }
  });
});
