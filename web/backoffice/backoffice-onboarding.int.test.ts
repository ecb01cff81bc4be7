import { createServer, type Server } from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { randomInt } from "node:crypto";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { createDevIdp } from "../../infra/dev-idp/app.ts";
import { formAction, hiddenFields, TestBrowser } from "../../infra/dev-idp/oidc/test-browser.ts";
import { startMailCatcher, type MailCatcher } from "../../infra/mail-catcher/catcher.ts";
import { RealmAdmin } from "../../server/identity/staff/index.ts";
import { fakeOrgFiscalCode, makeTenant } from "../../server/test/factories.ts";
import type { Deps } from "../../server/platform/deps.ts";
import {
  principal,
  sessionFor,
  startBackoffice,
  type Harness,
} from "../../server/test/harness/backoffice/backoffice-harness.ts";
import { csrfOf, loginThroughRealm } from "../../server/test/harness/backoffice/realm-login.ts";

/** What each subgroup must carry, written out here (not taken from the code under test). */
const EXPECTED = {
  admins: { realm: ["tenant-admin"], api: ["positions.read", "positions.write", "receipts.read"] },
  operators: { realm: ["operator"], api: ["positions.read", "positions.write", "receipts.read"] },
  viewers: { realm: ["viewer"], api: ["positions.read", "receipts.read"] },
  systems: { realm: [], api: ["positions.read", "positions.write", "receipts.read"] },
};

/** The onboarding form for a new council with fresh codes, on the station of an existing council. */
async function newCouncilForm(deps: Deps, ipaCode: string): Promise<Record<string, string>> {
  const other = await makeTenant(deps.db, { name: `Comune vicino di ${ipaCode}` });
  const station = await deps.db.client.station.findUniqueOrThrow({ where: { id: other.stationId } });
  const used = await deps.db.client.tenant.findMany({
    where: { intermediaryId: other.intermediaryId },
    select: { segregationCode: true },
  });
  const free = Array.from({ length: 99 }, (_, i) => String(i + 1).padStart(2, "0")).find(
    (c) => !used.some((u) => u.segregationCode === c),
  )!;
  return {
    name: `Comune di ${ipaCode}`,
    fiscalCode: fakeOrgFiscalCode(),
    ipaCode,
    stationCode: station.code,
    segregationCode: free,
  };
}

async function rolesOf(realm: RealmAdmin, groupPath: string) {
  const group = await realm.groupByPath(groupPath);
  if (!group) return null;
  const m = await realm.groupRoleMappings(group.id);
  return { realm: [...m.realm].sort(), api: [...(m.clients["pontepa-api"] ?? [])].sort() };
}

async function expectGroupsOf(realm: RealmAdmin, ipaCode: string) {
  expect(await realm.groupByPath(`/tenants/${ipaCode}`)).toMatchObject({ path: `/tenants/${ipaCode}` });
  for (const [sub, roles] of Object.entries(EXPECTED))
    expect(await rolesOf(realm, `/tenants/${ipaCode}/${sub}`), sub).toEqual(roles);
}

const groupAudit = (deps: Deps, ipaCode: string) =>
  deps.db.withPlatformScope("test", (tx) =>
    tx.auditLog.findMany({
      where: { action: "tenant.identity-groups", tenant: { ipaCode } },
      orderBy: [{ at: "asc" }, { id: "asc" }],
    }),
  );

describe("onboarding a council creates its groups in the realm; its admin page invites staff there", () => {
  let h: Harness;
  let mail: MailCatcher;
  let realm: RealmAdmin;
  const ipaCode = `c_o${randomInt(1e9).toString(36)}`;

  beforeAll(async () => {
    mail = await startMailCatcher({ smtpPort: 0, httpPort: 0 });
    // Its own Redis prefix: the per-address login limit is shared by every test file logging in from 127.0.0.1.
    // The realm's e-mails and ours (the invitation notice) land in the same catcher.
    const smtp = `smtp://127.0.0.1:${mail.smtpPort}`;
    h = await startBackoffice({
      withIdp: true,
      idpSmtpUrl: smtp,
      env: { QUEUE_PREFIX: `${inject("queuePrefix")}-onboarding`, SMTP_URL: smtp },
    });
    realm = new RealmAdmin({ issuer: h.idp!.issuer, clientId: "pontepa-admin", clientSecret: "dev-admin-secret" });
  });
  afterAll(async () => {
    await h.stop();
    await mail.close();
  });

  test("platform admin onboards → groups with their roles → invites an operator → the operator sets a password and works in the new council", async () => {
    expect(await realm.groupByPath(`/tenants/${ipaCode}`)).toBeNull();
    const platform = await loginThroughRealm(h, "admin.regione");
    const csrf = await csrfOf(platform, `${h.base}/backoffice/piattaforma/enti/nuovo`);
    const onboarded = await platform.post(`${h.base}/backoffice/piattaforma/enti`, {
      _csrf: csrf,
      ...(await newCouncilForm(h.deps, ipaCode)),
    });
    expect(onboarded.status).toBe(303);
    expect(onboarded.headers.get("location")).toBe(`/backoffice/piattaforma/enti/${ipaCode}?creato=1`);
    await expectGroupsOf(realm, ipaCode);
    const page = await (await platform.request(`${h.base}/backoffice/piattaforma/enti/${ipaCode}?creato=1`)).text();
    expect(page).toContain("I gruppi dell&#x27;ente sono stati creati nel sistema di identità");
    expect(page).toContain("Presenti, con i ruoli previsti");
    expect(page).not.toContain("Crea i gruppi nel sistema di identità");
    const audit = await groupAudit(h.deps, ipaCode);
    expect(
      audit.map((a) => [
        a.actorId,
        (a.after as { created: string[] }).created.length,
        (a.after as { complete: boolean }).complete,
      ]),
    ).toEqual([["admin.regione", 5, true]]);

    // Running it again finds everything in place: nothing changes, nothing new in the audit.
    const again = await platform.post(`${h.base}/backoffice/piattaforma/enti/${ipaCode}/gruppi`, { _csrf: csrf });
    expect(again.headers.get("location")).toBe(`/backoffice/piattaforma/enti/${ipaCode}?gruppi=1`);
    expect(await groupAudit(h.deps, ipaCode)).toHaveLength(1);

    const staffPage = `${h.base}/backoffice/enti/${ipaCode}/personale`;
    expect(await (await platform.request(staffPage)).text()).toContain("Invita una persona");
    const invited = await platform.post(`${staffPage}/invita`, {
      _csrf: csrf,
      nome: "Nadia",
      cognome: "Serra",
      email: `nadia.serra.${ipaCode}@comune.example`,
      ruolo: "operator",
    });
    expect(invited.headers.get("location")).toBe(`/backoffice/enti/${ipaCode}/personale?esito=invito`);
    const user = (await realm.findUserByEmail(`nadia.serra.${ipaCode}@comune.example`))!;
    expect((await realm.userGroups(user.id)).map((g) => g.path)).toEqual([`/tenants/${ipaCode}/operators`]);
    expect(await (await platform.request(staffPage)).text()).toContain("Nadia Serra");

    const toNadia = mail.messages.filter((m) => m.to.includes(`nadia.serra.${ipaCode}@comune.example`));
    expect(toNadia.map((m) => m.subject)).toContain(`Accesso al back-office pagoPA di Comune di ${ipaCode}`);
    const link = toNadia.map((m) => /(http:\S+action-token\?key=\S+)/.exec(m.text)?.[1]).find(Boolean)!;
    const person = new TestBrowser();
    const form = await (await person.request(link)).text();
    expect(
      (
        await person.post(formAction(form, link, "action-token"), {
          ...hiddenFields(form),
          password: "Nuovo-ente-2026",
          "password-confirm": "Nuovo-ente-2026",
        })
      ).status,
    ).toBe(200);

    const operator = await loginThroughRealm(h, `nadia.serra.${ipaCode}@comune.example`, "Nuovo-ente-2026");
    expect((await operator.request(`${h.base}/backoffice/`)).headers.get("location")).toBe(
      `/backoffice/enti/${ipaCode}`,
    );
    expect(await (await operator.request(`${h.base}/backoffice/enti/${ipaCode}`)).text()).toContain(
      "Nuova posizione allo sportello",
    );
    expect((await operator.request(`${h.base}/backoffice/piattaforma/enti/${ipaCode}`)).status).toBe(403);
    const mirrored = await h.deps.db.withPlatformScope("test", (tx) =>
      tx.membership.findMany({ where: { user: { subject: user.id } }, include: { tenant: true } }),
    );
    expect(mirrored.map((m) => [m.tenant.ipaCode, m.role])).toEqual([[ipaCode, "OPERATOR"]]);
  });
});

/** A free loopback port, for an IdP that is down now and starts there later. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe("onboarding while the realm is down", () => {
  let h: Harness;
  let port: number;
  let idpServer: Server | undefined;
  let idpClose: (() => Promise<void>) | undefined;
  let dataDir: string;

  beforeAll(async () => {
    port = await freePort();
    dataDir = await mkdtemp(path.join(os.tmpdir(), "bo-onboard-idp-"));
    h = await startBackoffice({ env: { OIDC_ISSUER_URL: `http://127.0.0.1:${port}/realms/pontepa` } });
  });
  afterAll(async () => {
    await idpClose?.();
    await h.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  test("the council is created and the page says its groups are still to be created; the button creates them once the realm is back, completing a half-done run", async () => {
    const ipaCode = `c_d${randomInt(1e9).toString(36)}`;
    const asPlatform = await sessionFor(h, principal("admin.piattaforma", ["platform-admin"], {}));
    const post = (url: string, fields: Record<string, string>) =>
      fetch(`${h.base}${url}`, {
        method: "POST",
        redirect: "manual",
        headers: { cookie: asPlatform.cookie, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ _csrf: asPlatform.csrf, ...fields }).toString(),
      });
    const get = async (url: string) =>
      (await fetch(`${h.base}${url}`, { redirect: "manual", headers: { cookie: asPlatform.cookie } })).text();

    const onboarded = await post("/backoffice/piattaforma/enti", await newCouncilForm(h.deps, ipaCode));
    expect(onboarded.status).toBe(303);
    expect(onboarded.headers.get("location")).toBe(`/backoffice/piattaforma/enti/${ipaCode}?creato=1&gruppi=0`);
    expect(await h.deps.db.client.tenant.findUnique({ where: { ipaCode } })).toMatchObject({ status: "ONBOARDING" });
    const page = await get(`/backoffice/piattaforma/enti/${ipaCode}?creato=1&gruppi=0`);
    expect(page).toContain("Ente creato in stato");
    expect(page).toContain(
      "i gruppi dell&#x27;ente nel sistema di identità sono ancora da creare, quindi per ora nessuno può essere invitato",
    );
    expect(page).toContain("Il sistema di identità della Regione non risponde.");
    expect(page).toContain("Crea i gruppi nel sistema di identità");

    const stillDown = await post(`/backoffice/piattaforma/enti/${ipaCode}/gruppi`, {});
    expect(stillDown.status).toBe(503);
    expect(await stillDown.text()).toContain(
      "non risponde. I gruppi dell&#x27;ente non sono stati creati. Riprova tra qualche minuto.",
    );
    expect(await groupAudit(h.deps, ipaCode)).toEqual([]);

    // The realm comes back, with part of the groups already there (an earlier run stopped half-way).
    const idp = await createDevIdp({
      issuerBase: `http://127.0.0.1:${port}`,
      dataDir,
      backofficeBaseUrls: [h.base],
      smtpUrl: "smtp://127.0.0.1:9",
      logger: pino({ level: "silent" }),
    });
    idpServer = createServer(idp.app);
    await new Promise<void>((resolve) => idpServer!.listen(port, "127.0.0.1", resolve));
    idpClose = () => idp.close(idpServer);
    const realm = new RealmAdmin({ issuer: idp.issuer, clientId: "pontepa-admin", clientSecret: "dev-admin-secret" });
    const council = await realm.createChildGroup((await realm.groupByPath("/tenants"))!.id, ipaCode);
    await realm.createChildGroup(council, "operators");
    expect(await get(`/backoffice/piattaforma/enti/${ipaCode}`)).toContain(
      `/tenants/${ipaCode}/operators (operator, pontepa-api:positions.read`,
    );

    const retried = await post(`/backoffice/piattaforma/enti/${ipaCode}/gruppi`, {});
    expect(retried.status).toBe(303);
    expect(retried.headers.get("location")).toBe(`/backoffice/piattaforma/enti/${ipaCode}?gruppi=1`);
    await expectGroupsOf(realm, ipaCode);
    expect((await realm.groupByPath(`/tenants/${ipaCode}`))!.id).toBe(council);
    const done = await get(`/backoffice/piattaforma/enti/${ipaCode}?gruppi=1`);
    expect(done).toContain("I gruppi dell&#x27;ente sono stati creati nel sistema di identità");
    expect(done).not.toContain("Crea i gruppi nel sistema di identità");
    const audit = await groupAudit(h.deps, ipaCode);
    expect(audit.map((a) => a.after)).toEqual([
      {
        created: [`/tenants/${ipaCode}/admins`, `/tenants/${ipaCode}/viewers`, `/tenants/${ipaCode}/systems`],
        rolesAdded: Object.fromEntries(
          Object.entries(EXPECTED).map(([sub, r]) => [
            `/tenants/${ipaCode}/${sub}`,
            [...r.realm, ...r.api.map((x) => `pontepa-api:${x}`)],
          ]),
        ),
        complete: true,
      },
    ]);
    expect(await get(`/backoffice/enti/${ipaCode}/personale`)).toContain("Invita una persona");
  });
});
