import { createHash, randomInt } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { printRunFileNames } from "../../server/notices/index.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RealmAdmin } from "../../server/identity/staff/index.ts";
import { createApiClient, RealmApiClients } from "../../server/api/clients/index.ts";
import { listRoutes, type RouteInfo } from "../../server/platform/http/list-routes.ts";
import { createPosition } from "../../server/positions/create-position.ts";
import { payOptionForTest } from "../../server/test/harness/paid-receipt.ts";
import { makeTenant } from "../../server/test/factories.ts";
import { solidPng } from "../../server/test/harness/branding/solid-png.ts";
import type { Tenant } from "../../server/generated/prisma/client.ts";
import { backofficeRoutes, createBackofficeContext } from "./backoffice.routes.ts";
import {
  principal,
  sessionFor,
  startBackoffice,
  type Harness,
} from "../../server/test/harness/backoffice/backoffice-harness.ts";

const IBAN = "IT60X0542811101000000123456";
const actor = { type: "staff" as const, id: "isolation" };
/** Routes that carry no council data: the login round trip and the logout. */
const AUTH_ROUTES = new Set(["GET /accedi", "GET /auth/callback", "POST /esci"]);
/** Areas of platform staff, closed to council staff whatever the parameters. */
const PLATFORM_AREAS = [/^\/assistenza/, /^\/piattaforma/];

/**
 * The back-office isolation matrix: every route, enumerated from the router, asked by the admin
 * of council A (every permission in A) for council B: through B's code (403), and through A's
 * code with B's ids (404), with none of B's data in the answer. Platform areas refuse A's admin.
 * A route whose parameter has no case here fails the suite, so a new route cannot slip by.
 * The staff routes act on the realm (the dev IdP, with groups for A and B): B's person is "not
 * found" under A's code, and nothing A's admin does touches B's groups.
 */
describe("back-office isolation matrix (routes enumerated from the router)", () => {
  let h: Harness;
  let a: Tenant;
  let b: Tenant;
  let routes: RouteInfo[];
  let asA: { cookie: string; csrf: string };
  let realm: RealmAdmin;
  const ofA: Record<string, string> = {};
  const ofB: Record<string, string> = {};

  async function objects(t: Tenant, into: Record<string, string>, tag: string) {
    await h.deps.db.withTenant(t.id, async (tx) => {
      await tx.creditorAccount.create({
        data: { tenantId: t.id, iban: IBAN, holder: `Tesoreria ${tag}`, effectiveFrom: new Date("2025-01-01") },
      });
      await tx.paymentType.create({
        data: {
          tenantId: t.id,
          code: `TIPO_${tag}`,
          name: `Servizio segreto ${tag}`,
          taxonomyCode: "9/0101002IM/",
          defaultTransfers: [{ accountIban: IBAN, shareBasisPoints: 10_000 }],
        },
      });
    });
    into.code = `TIPO_${tag}`;
    // The council's settings (logo route, footer contacts), tagged so B's never show under A.
    const logo = solidPng(3, 2, [0, 51, 102]);
    await h.deps.db.withTenant(t.id, (tx) =>
      tx.councilProfile.create({
        data: {
          tenantId: t.id,
          logo: new Uint8Array(logo),
          logoContentType: "image/png",
          logoSha256: createHash("sha256").update(logo).digest("hex"),
          email: `tributi-${tag.toLowerCase()}@segreto.example`,
        },
      }),
    );
    const input = (subject: string) => ({
      debtor: { fiscalCode: "RSSMRA80A01H501U", name: `Debitore ${tag}` },
      subject,
      single: {
        amountCents: 1_000,
        dueDate: new Date("2027-03-31T10:00:00Z"),
        transfers: [{ iban: IBAN, amountCents: 1_000, taxonomyCode: "9/0101002IM/", remittanceText: subject }],
      },
    });
    into.positionId = (await createPosition(h.deps.db, t, input(`Aperta ${tag}`), actor)).id;
    const paid = (await createPosition(h.deps.db, t, input(`Pagata ${tag}`), actor)).options[0]!;
    into.receiptId = `rcpt-bo-${t.ipaCode}`;
    await payOptionForTest(h.deps.db, t, paid, into.receiptId, IBAN);
    // A Nodo message of the council (the helpdesk's message page, /assistenza/messaggi/:id).
    into.id = (
      await h.deps.db.withTenant(t.id, (tx) =>
        tx.nodoMessage.create({
          data: { tenantId: t.id, direction: "IN", operation: "paVerifyPaymentNotice", nav: paid.nav, outcome: "OK" },
        }),
      )
    ).id;
    // A webhook endpoint of the council (the webhook pages, /webhook/:endpointId).
    into.endpointId = (
      await h.deps.db.withTenant(t.id, (tx) =>
        tx.webhookEndpoint.create({
          data: {
            tenantId: t.id,
            url: `https://hooks.example/${tag}`,
            events: ["position.created"],
            secret: "whsec_dGVzdA==",
          },
        }),
      )
    ).id;
    // An API client of the council, made in the realm too (the API clients page, /client-api/:clientId).
    into.clientId = (
      await createApiClient(
        {
          db: h.deps.db,
          realm: new RealmApiClients({
            issuer: h.idp!.issuer,
            clientId: "pontepa-admin",
            clientSecret: "dev-admin-secret",
          }),
          logger: h.deps.logger,
          apiAudience: "pontepa-api",
          production: false,
        },
        t,
        { name: `Gestionale ${tag}`, roles: ["read"] },
        actor,
      )
    ).id;
    const user = await h.deps.db.client.staffUser.create({
      data: { subject: `op-${t.ipaCode}`, displayName: `Operatore ${tag}` },
    });
    into.membershipId = (
      await h.deps.db.withTenant(t.id, (tx) =>
        tx.membership.create({ data: { tenantId: t.id, userId: user.id, role: "OPERATOR" } }),
      )
    ).id;
    // An import of the council (its progress page and outcome files).
    into.importId = (
      await h.deps.db.withTenant(t.id, (tx) =>
        tx.importFile.create({
          data: {
            tenantId: t.id,
            format: "NATIVE_CSV",
            source: "BACKOFFICE",
            fileName: `debiti-${tag}.csv`,
            contentHash: tag.toLowerCase().padEnd(64, "0"),
            sizeBytes: 10,
            storagePath: "/nonexistent",
            status: "DONE",
            createdBy: `op-${t.ipaCode}`,
          },
        }),
      )
    ).id;
    into.layout = "native";
    // A passed pre-production run of the council (the collaudo page's approve action).
    into.collaudoId = (
      await h.deps.db.withTenant(t.id, (tx) =>
        tx.preproductionRun.create({
          data: { tenantId: t.id, state: "PASSED", requestedBy: `admin.${tag.toLowerCase()}`, finishedAt: new Date() },
        }),
      )
    ).id;
    // A finished mass printing of the council, with its three files (the Stampa avvisi pages).
    const storageDir = mkdtempSync(path.join(tmpdir(), `stampa-${tag}-`));
    const run = await h.deps.db.withTenant(t.id, (tx) =>
      tx.printRun.create({
        data: {
          tenantId: t.id,
          selection: {},
          status: "DONE",
          storageDir,
          createdBy: `op-${t.ipaCode}`,
          finishedAt: new Date(),
        },
      }),
    );
    for (const name of Object.values(printRunFileNames(t.ipaCode, run.createdAt)))
      writeFileSync(path.join(storageDir, name), `avvisi ${tag}`);
    into.runId = run.id;
    into.kind = "manifest";
    // A classified payment and a treasury credit of the council (the reconciliation section's
    // payment page, /riconciliazione/pagamenti/:iuv, and credit page with manual match).
    into.iuv = `0${tag.length}${randomInt(1e14)}`.padEnd(17, "7").slice(0, 17);
    await h.deps.db.withTenant(t.id, (tx) =>
      tx.paymentClassification.create({
        data: {
          tenantId: t.id,
          subjectKind: "PAYMENT",
          subject: into.iuv!,
          iuv: into.iuv!,
          code: "IUD_NO_RT",
          amountCents: 100,
          day: new Date("2026-11-20"),
        },
      }),
    );
    into.creditId = (
      await h.deps.db.withTenant(t.id, async (tx) => {
        const imp = await tx.treasuryImport.create({
          data: { tenantId: t.id, fileName: `giornale-${tag}.csv`, format: "CSV", creditsCount: 1 },
        });
        into.journalId = imp.id; // the journal's outcome page, /riconciliazione/giornali/:journalId
        return tx.treasuryCredit.create({
          data: {
            tenantId: t.id,
            importId: imp.id,
            dedupKey: `iso-${tag}`,
            valueDate: new Date("2026-11-22"),
            amountCents: 4321,
            description: `ACCREDITO ${tag}`,
            status: "NO_PAGOPA_REFERENCE",
          },
        });
      })
    ).id;
  }

  /** A person of the council in the realm, in its operators group. */
  async function realmPerson(t: Tenant, into: Record<string, string>, tag: string) {
    into.userId = await realm.createUser({
      username: `persona.${tag.toLowerCase()}@comune.example`,
      email: `persona.${tag.toLowerCase()}@comune.example`,
      firstName: "Persona",
      lastName: tag,
    });
    await realm.joinGroup(into.userId, (await realm.groupByPath(`/tenants/${t.ipaCode}/operators`))!.id);
  }

  beforeAll(async () => {
    const [ipaA, ipaB] = [`c_a${randomInt(1e9).toString(36)}`, `c_b${randomInt(1e9).toString(36)}`];
    h = await startBackoffice({ withIdp: true, idpTenants: [ipaA, ipaB] });
    realm = new RealmAdmin({ issuer: h.idp!.issuer, clientId: "pontepa-admin", clientSecret: "dev-admin-secret" });
    a = await makeTenant(h.deps.db, { name: "Comune Alfa", ipaCode: ipaA });
    b = await makeTenant(h.deps.db, { name: "Comune Beta", ipaCode: ipaB });
    await objects(a, ofA, "ALFA");
    await objects(b, ofB, "BETA");
    await realmPerson(a, ofA, "ALFA");
    await realmPerson(b, ofB, "BETA");
    routes = listRoutes(backofficeRoutes(createBackofficeContext(h.deps)));
    asA = await sessionFor(h, principal("admin.alfa", [], { [a.ipaCode]: ["tenant-admin"] }));
  }, 60_000);
  afterAll(async () => {
    await h.stop();
  });

  const call = (route: RouteInfo, path: string, body: Record<string, string> = {}) =>
    fetch(`${h.base}/backoffice${path}`, {
      method: route.method,
      redirect: "manual",
      headers: {
        cookie: asA.cookie,
        accept: "text/html",
        ...(route.method === "POST" ? { "content-type": "application/x-www-form-urlencoded" } : {}),
      },
      body:
        route.method === "POST"
          ? new URLSearchParams({ _csrf: asA.csrf, motivo: "prova di isolamento", ...body }).toString()
          : undefined,
    });
  const fill = (path: string, ipa: string, values: Record<string, string>) =>
    path.replace(/:(\w+)/g, (_m, name: string) => {
      if (name === "ipa") return ipa;
      const value = values[name];
      if (!value) throw new Error(`No isolation case for the route parameter :${name} (${path}): add one to this test`);
      return encodeURIComponent(value);
    });
  const key = (r: RouteInfo) => `${r.method} ${r.path}`;
  const tenantRoutes = () => routes.filter((r) => r.params[0] === "ipa" && !PLATFORM_AREAS.some((p) => p.test(r.path)));
  const noDataOfB = (html: string) => {
    for (const secret of [
      "Comune Beta",
      "Servizio segreto BETA",
      "tributi-beta@segreto.example",
      "Debitore BETA",
      "Tesoreria BETA",
      "Operatore BETA",
      "Persona BETA",
      "persona.beta@",
      "hooks.example/BETA",
      b.fiscalCode,
    ])
      expect(html).not.toContain(secret);
  };

  it("knows every route: auth, home, platform areas or council routes under /enti/:ipa", () => {
    expect(routes.length).toBeGreaterThanOrEqual(20);
    for (const r of routes) {
      const known =
        AUTH_ROUTES.has(key(r)) ||
        key(r) === "GET /" ||
        PLATFORM_AREAS.some((p) => p.test(r.path)) ||
        r.path.startsWith("/enti/:ipa");
      expect(known, key(r)).toBe(true);
    }
  });

  it("serves council A's admin their own objects (the matrix below is not vacuous)", async () => {
    // Reads first: the cancel route would otherwise cancel the position the notice route prints.
    for (const r of tenantRoutes().sort((x, y) => Number(x.method !== "GET") - Number(y.method !== "GET"))) {
      const res = await call(r, fill(r.path, a.ipaCode, ofA));
      expect([200, 303, 422], `${key(r)} for A`).toContain(res.status);
    }
  }, 120_000);

  it("refuses B's code with 403 and B's ids under A's code with 404, showing none of B's data", async () => {
    for (const r of tenantRoutes()) {
      const byCode = await call(r, fill(r.path, b.ipaCode, ofB));
      expect(byCode.status, `${key(r)} with B's code`).toBe(403);
      noDataOfB(await byCode.text());
      if (r.params.length > 1) {
        const byId = await call(r, fill(r.path, a.ipaCode, ofB));
        expect(byId.status, `${key(r)} with B's ids`).toBe(404);
        noDataOfB(await byId.text());
      }
    }
  }, 120_000);

  it("closes the helpdesk and platform areas to council staff", async () => {
    const areas = routes.filter((r) => PLATFORM_AREAS.some((p) => p.test(r.path)));
    expect(areas.length).toBeGreaterThanOrEqual(4);
    for (const r of areas) {
      const res = await call(r, fill(r.path, b.ipaCode, ofB));
      expect(res.status, key(r)).toBe(403);
      noDataOfB(await res.text());
    }
  });

  it("refuses A's admin the platform's group creation for any council, creating nothing in the realm", async () => {
    const route = routes.find((r) => key(r) === "POST /piattaforma/enti/:ipa/gruppi");
    expect(route, "the route that creates a council's realm groups").toBeDefined();
    const fresh = await makeTenant(h.deps.db, { name: "Comune Gamma", ipaCode: `c_g${randomInt(1e9).toString(36)}` });
    for (const ipa of [a.ipaCode, b.ipaCode, fresh.ipaCode]) {
      const res = await call(route!, `/piattaforma/enti/${ipa}/gruppi`);
      expect(res.status, ipa).toBe(403);
      noDataOfB(await res.text());
    }
    expect(await realm.groupByPath(`/tenants/${fresh.ipaCode}`)).toBeNull();
  });

  it("never touches B's groups from A's staff page: B's person invited into A, moved and removed there, keeps B's access as it was", async () => {
    const groupsOfB = async () => (await realm.userGroups(ofB.userId!)).map((g) => g.path).sort();
    const membersOfB = async () => {
      const out: string[] = [];
      for (const g of ["admins", "operators", "viewers"])
        out.push(
          ...(await realm.groupMembers((await realm.groupByPath(`/tenants/${b.ipaCode}/${g}`))!.id)).map(
            (u) => `${g}:${u.username}`,
          ),
        );
      return out.sort();
    };
    const bBefore = await membersOfB();
    const post = (path: string, fields: Record<string, string>) =>
      fetch(`${h.base}/backoffice/enti/${a.ipaCode}/personale${path}`, {
        method: "POST",
        redirect: "manual",
        headers: { cookie: asA.cookie, accept: "text/html", "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ _csrf: asA.csrf, ...fields }).toString(),
      });
    // Fields naming B's council or group are not the form's: they change nothing.
    const hostile = {
      ipa: b.ipaCode,
      tenant: b.ipaCode,
      gruppo: `/tenants/${b.ipaCode}/admins`,
      group: `/tenants/${b.ipaCode}/admins`,
    };
    // B's person never set a password, so the invitation is e-mailed again; this realm has no mail
    // server, hence 502 "access given, e-mail not sent".
    const invited = await post("/invita", {
      nome: "Persona",
      cognome: "BETA",
      email: "persona.beta@comune.example",
      ruolo: "tenant-admin",
      ...hostile,
    });
    expect(invited.status).toBe(502);
    expect(await invited.text()).toContain("ora ha accesso all&#x27;ente come Amministratore dell&#x27;ente");
    expect(await groupsOfB()).toEqual([`/tenants/${a.ipaCode}/admins`, `/tenants/${b.ipaCode}/operators`]);
    expect((await post(`/${ofB.userId}/ruolo`, { ruolo: "viewer", ...hostile })).status).toBe(303);
    expect(await groupsOfB()).toEqual([`/tenants/${a.ipaCode}/viewers`, `/tenants/${b.ipaCode}/operators`]);
    expect((await post(`/${ofB.userId}/rimuovi`, hostile)).status).toBe(303);
    expect(await groupsOfB()).toEqual([`/tenants/${b.ipaCode}/operators`]);
    expect(await membersOfB()).toEqual(bBefore);
    // And the removal made them "not found" in A again.
    expect((await post(`/${ofB.userId}/rimuovi`, {})).status).toBe(404);
  });

  it("lists only A on A's admin's home page", async () => {
    const res = await fetch(`${h.base}/backoffice/`, { redirect: "manual", headers: { cookie: asA.cookie } });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/backoffice/enti/${a.ipaCode}`);
  });

  it("still finds B's objects through A's code by RLS alone if a route forgot its check", async () => {
    // The backstop: inside A's scope, B's rows do not exist for the database itself.
    const seen = await h.deps.db.withTenant(a.id, (tx) => tx.debtPosition.findMany({ where: { id: ofB.positionId } }));
    expect(seen).toEqual([]);
  });
});
