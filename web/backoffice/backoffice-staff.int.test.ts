import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { formAction, hiddenFields, TestBrowser } from "../../infra/dev-idp/oidc/test-browser.ts";
import { startMailCatcher, type MailCatcher } from "../../infra/mail-catcher/catcher.ts";
import { RealmAdmin } from "../../server/identity/staff/index.ts";
import {
  demoTenant,
  principal,
  sessionFor,
  startBackoffice,
  type Harness,
} from "../../server/test/harness/backoffice/backoffice-harness.ts";

const ADMIN_BORGO = "8b0e7d1c-1f0a-4a51-9d3e-0c5a4f1b2a03";
const OPERATORE_BORGO = "8b0e7d1c-1f0a-4a51-9d3e-0c5a4f1b2a04";

/** Logs `username` into the back-office through the dev realm's login form; returns the browser, logged in. */
async function login(h: Harness, username: string, password = "demo"): Promise<TestBrowser> {
  const browser = new TestBrowser();
  const start = await browser.request(`${h.base}/backoffice/accedi`);
  const page = await browser.follow(new URL(start.headers.get("location")!), {}, `${h.base}/backoffice/auth/callback`);
  const submit = await browser.post(formAction(await page.response.text(), page.url, "/login"), { username, password });
  expect(submit.status, `login of ${username}`).toBe(303);
  const callback = await browser.follow(
    new URL(submit.headers.get("location")!, page.url),
    {},
    `${h.base}/backoffice/auth/callback`,
  );
  expect((await browser.request(callback.url)).status).toBe(303);
  return browser;
}

const csrfOf = async (browser: TestBrowser, url: string) =>
  /name="_csrf" value="([^"]+)"/.exec(await (await browser.request(url)).text())![1]!;

describe("staff page: invite, change role, remove, through the realm's Admin REST API", () => {
  let h: Harness;
  let mail: MailCatcher;
  let realm: RealmAdmin;
  let admin: TestBrowser;
  let csrf: string;
  let page: string;

  beforeAll(async () => {
    mail = await startMailCatcher({ smtpPort: 0, httpPort: 0 });
    // The realm's e-mails and ours (the invitation notice) land in the same catcher.
    const smtp = `smtp://127.0.0.1:${mail.smtpPort}`;
    h = await startBackoffice({ withIdp: true, idpSmtpUrl: smtp, env: { SMTP_URL: smtp } });
    await demoTenant(h.deps, "c_x001");
    await demoTenant(h.deps, "c_x002");
    realm = new RealmAdmin({ issuer: h.idp!.issuer, clientId: "pontepa-admin", clientSecret: "dev-admin-secret" });
    admin = await login(h, "admin.borgo");
    page = `${h.base}/backoffice/enti/c_x001/personale`;
    csrf = await csrfOf(admin, page);
  });
  afterAll(async () => {
    await h.stop();
    await mail.close();
  });

  const post = (browser: TestBrowser, path: string, fields: Record<string, string>) =>
    browser.post(`${page}${path}`, { _csrf: csrf, ...fields });
  const groupsOf = async (id: string) => (await realm.userGroups(id)).map((g) => g.path).sort();

  test("lists the council's people from the realm (not another council's), with the invite form for its admin", async () => {
    const html = await (await admin.request(page)).text();
    for (const name of ["Giulia Fioretti", "Marco Bianchi", "Elena Neri"]) expect(html).toContain(name);
    for (const name of ["Sara Vallesi", "Paolo Verdi", "Anna Regionale"]) expect(html).not.toContain(name);
    expect(html).toContain("Invita una persona");
    expect(html).toContain("Rimuovi l'accesso di Marco Bianchi");
    expect(html).not.toContain("Rimuovi l'accesso di Giulia Fioretti"); // herself
  });

  test("invite as operator → e-mail → password → login as operator; viewer → open sessions viewer at once; removed → open sessions ended, next login no council; audited", async () => {
    const invited = await post(admin, "/invita", {
      nome: "Chiara",
      cognome: "Galli",
      email: " Chiara.Galli@Comune.example ",
      ruolo: "operator",
    });
    expect(invited.status).toBe(303);
    expect(invited.headers.get("location")).toBe("/backoffice/enti/c_x001/personale?esito=invito");
    const user = (await realm.findUserByEmail("chiara.galli@comune.example"))!;
    expect(user).toMatchObject({
      username: "chiara.galli@comune.example",
      firstName: "Chiara",
      lastName: "Galli",
      requiredActions: ["UPDATE_PASSWORD"],
    });
    expect(await groupsOf(user.id)).toEqual(["/tenants/c_x001/operators"]);
    const listed = await (await admin.request(`${page}?esito=invito`)).text();
    expect(listed).toContain("Invito inviato");
    expect(listed).toContain("Invito in attesa");

    const toChiara = mail.messages.filter((m) => m.to.includes("chiara.galli@comune.example"));
    // Ours names the council and the role in Italian, and points to the realm's password e-mail.
    const notice = toChiara.find((m) => m.subject === "Accesso al back-office pagoPA di Comune di Borgo Fiorito")!;
    expect(notice.text).toContain("Gentile Chiara,");
    expect(notice.text).toContain("di Comune di Borgo Fiorito con il ruolo di Operatore.");
    expect(notice.text).toContain("collegamento per scegliere la password");
    expect(notice.text).toContain(`${h.base}/backoffice/`);
    expect(notice.text).not.toContain("/tenants/");
    const message = toChiara.find((m) => m.subject === "Completa il tuo accesso a PontePA")!;
    const link = /(http:\S+action-token\?key=\S+)/.exec(message.text)![1]!;
    expect(link.startsWith(`${h.idp!.issuer}/`)).toBe(true);
    const person = new TestBrowser();
    const form = await (await person.request(link)).text();
    const done = await person.post(formAction(form, link, "action-token"), {
      ...hiddenFields(form),
      password: "Sportello-2026",
      "password-confirm": "Sportello-2026",
    });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain(`href="${h.base}/backoffice/"`);

    const asOperator = await login(h, "chiara.galli@comune.example", "Sportello-2026");
    const home = await asOperator.request(`${h.base}/backoffice/`);
    expect(home.headers.get("location")).toBe("/backoffice/enti/c_x001");
    expect(await (await asOperator.request(`${h.base}/backoffice/enti/c_x001`)).text()).toContain(
      "Nuova posizione allo sportello",
    );
    const mirrored = () =>
      h.deps.db.withPlatformScope("test", (tx) =>
        tx.membership.findMany({ where: { user: { subject: user.id } }, include: { tenant: true } }),
      );
    expect((await mirrored()).map((m) => [m.tenant.ipaCode, m.role])).toEqual([["c_x001", "OPERATOR"]]);

    expect((await asOperator.request(`${h.base}/backoffice/enti/c_x001/posizioni/nuova`)).status).toBe(200);
    expect((await post(admin, `/${user.id}/ruolo`, { ruolo: "viewer" })).headers.get("location")).toBe(
      "/backoffice/enti/c_x001/personale?esito=ruolo",
    );
    expect(await groupsOf(user.id)).toEqual(["/tenants/c_x001/viewers"]);
    expect((await mirrored()).map((m) => m.role)).toEqual(["VIEWER"]);
    // The session opened as operator is a viewer's from its next request (issue 13 item 7).
    expect((await asOperator.request(`${h.base}/backoffice/enti/c_x001/posizioni/nuova`)).status).toBe(403);
    expect((await asOperator.request(`${h.base}/backoffice/enti/c_x001`)).status).toBe(200);
    const asViewer = await login(h, "chiara.galli@comune.example", "Sportello-2026");
    const viewerHome = await asViewer.request(`${h.base}/backoffice/enti/c_x001`);
    expect(viewerHome.status).toBe(200);
    expect(await viewerHome.text()).not.toContain("Nuova posizione allo sportello");
    expect((await asViewer.request(`${h.base}/backoffice/enti/c_x001/posizioni/nuova`)).status).toBe(403);

    expect((await post(admin, `/${user.id}/rimuovi`, {})).headers.get("location")).toBe(
      "/backoffice/enti/c_x001/personale?esito=rimosso",
    );
    expect(await groupsOf(user.id)).toEqual([]);
    expect(await mirrored()).toEqual([]);
    // Removed: both open sessions end (no council and no platform role left), so the council's
    // pages send them to the login.
    for (const browser of [asOperator, asViewer]) {
      const after = await browser.request(`${h.base}/backoffice/enti/c_x001`);
      expect(after.status).toBe(303);
      expect(after.headers.get("location")).toMatch(/^\/backoffice\/accedi/);
    }
    const removed = await login(h, "chiara.galli@comune.example", "Sportello-2026");
    const noCouncil = await removed.request(`${h.base}/backoffice/`);
    expect(noCouncil.status).toBe(200);
    expect(await noCouncil.text()).toContain("non è ancora associato a nessun ente");
    expect((await removed.request(`${h.base}/backoffice/enti/c_x001`)).status).toBe(403);
    expect(await (await admin.request(page)).text()).not.toContain("Chiara Galli");

    const tenant = await demoTenant(h.deps, "c_x001");
    const audit = await h.deps.db.withTenant(tenant.id, (tx) =>
      tx.auditLog.findMany({
        where: { tenantId: tenant.id, entityId: user.id },
        orderBy: [{ at: "asc" }, { id: "asc" }],
      }),
    );
    expect(audit.map((a) => [a.action, a.actorId, a.before, a.after])).toEqual([
      [
        "staff.invite",
        "admin.borgo",
        { email: "chiara.galli@comune.example", roles: [] },
        { email: "chiara.galli@comune.example", roles: ["operator"], created: true, emailSent: true },
      ],
      ["staff.role", "admin.borgo", { roles: ["operator"] }, { roles: ["viewer"] }],
      ["staff.remove", "admin.borgo", { roles: ["viewer"] }, { roles: [] }],
    ]);
  });

  test("an existing person of another council gets access with the credentials they have (only our notice, no password e-mail), in this council's group only", async () => {
    const before = mail.messages.length;
    const res = await post(admin, "/invita", {
      nome: "Paolo",
      cognome: "Verdi",
      email: "operatore.valle@pontepa.invalid",
      ruolo: "viewer",
    });
    expect(res.headers.get("location")).toBe("/backoffice/enti/c_x001/personale?esito=accesso");
    expect(await groupsOf("8b0e7d1c-1f0a-4a51-9d3e-0c5a4f1b2a06")).toEqual([
      "/tenants/c_x001/viewers",
      "/tenants/c_x002/operators",
    ]);
    const sent = mail.messages.slice(before);
    expect(sent.map((m) => [m.to, m.subject])).toEqual([
      [["operatore.valle@pontepa.invalid"], "Accesso al back-office pagoPA di Comune di Borgo Fiorito"],
    ]);
    expect(sent[0]!.text).toContain("con il ruolo di Consultazione.");
    expect(sent[0]!.text).toContain("Entra con le credenziali che usi già");
    expect(sent[0]!.text).not.toContain("action-token");
    // Removing them from this council leaves their other council alone.
    await post(admin, "/8b0e7d1c-1f0a-4a51-9d3e-0c5a4f1b2a06/rimuovi", {});
    expect(await groupsOf("8b0e7d1c-1f0a-4a51-9d3e-0c5a4f1b2a06")).toEqual(["/tenants/c_x002/operators"]);
  });

  test("refusals in Italian: a bad e-mail, someone already in the council, the admin's own admin access, an unknown role; a viewer cannot invite", async () => {
    const bad = await post(admin, "/invita", { nome: "", cognome: "Rossi", email: "non-una-mail", ruolo: "operator" });
    expect(bad.status).toBe(422);
    const badHtml = await bad.text();
    expect(badHtml).toContain("E-mail: indirizzo e-mail non valido");
    expect(badHtml).toContain("Nome: indica il nome");
    expect(badHtml).toContain(`href="#email"`);
    expect(badHtml).toContain('value="non-una-mail"');

    const again = await post(admin, "/invita", {
      nome: "Marco",
      cognome: "Bianchi",
      email: "operatore.borgo@pontepa.invalid",
      ruolo: "viewer",
    });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("ha già accesso all&#x27;ente come Operatore");
    expect(await groupsOf(OPERATORE_BORGO)).toEqual(["/tenants/c_x001/operators"]);

    for (const [path, fields] of [
      [`/${ADMIN_BORGO}/rimuovi`, {}],
      [`/${ADMIN_BORGO}/ruolo`, { ruolo: "viewer" }],
    ] as const) {
      const self = await post(admin, path, fields);
      expect(self.status).toBe(409);
      expect(await self.text()).toContain("Non puoi togliere a te stesso l&#x27;accesso di amministratore");
    }
    expect(await groupsOf(ADMIN_BORGO)).toEqual(["/tenants/c_x001/admins"]);

    const odd = await post(admin, `/${OPERATORE_BORGO}/ruolo`, { ruolo: "platform-admin" });
    expect(odd.status).toBe(422);
    expect(await groupsOf(OPERATORE_BORGO)).toEqual(["/tenants/c_x001/operators"]);

    const viewer = await login(h, "viewer.borgo");
    const viewerCsrf = await csrfOf(viewer, page);
    const viewerPage = await (await viewer.request(page)).text();
    expect(viewerPage).not.toContain("Invita una persona");
    const denied = await viewer.post(`${page}/invita`, {
      _csrf: viewerCsrf,
      nome: "X",
      cognome: "Y",
      email: "x.y@comune.example",
      ruolo: "tenant-admin",
    });
    expect(denied.status).toBe(403);
    expect(await realm.findUserByEmail("x.y@comune.example")).toBeNull();
  });

  test("the realm's Admin API refuses a request without a token (401) and a realm token without realm-management roles (403)", async () => {
    const api = `${h.idp!.base}/admin/realms/pontepa/users?email=operatore.borgo@pontepa.invalid&exact=true`;
    expect((await fetch(api)).status).toBe(401);
    const token = await fetch(`${h.idp!.issuer}/protocol/openid-connect/token`, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from("gestionale-borgo-fiorito:dev-gestionale-secret").toString("base64")}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: "grant_type=client_credentials",
    });
    const { access_token } = (await token.json()) as { access_token: string };
    expect((await fetch(api, { headers: { authorization: `Bearer ${access_token}` } })).status).toBe(403);
    expect((await realm.findUserByEmail("operatore.borgo@pontepa.invalid"))?.id).toBe(OPERATORE_BORGO);
  });
});

describe("staff page when the realm cannot do what is asked", () => {
  test("an unreachable IdP: the page lists who has logged in and says so; an invitation changes nothing and says so", async () => {
    const h = await startBackoffice();
    try {
      await demoTenant(h.deps, "c_x001");
      const asAdmin = await sessionFor(h, principal("admin.offline", [], { c_x001: ["tenant-admin"] }));
      const page = await fetch(`${h.base}/backoffice/enti/c_x001/personale`, { headers: { cookie: asAdmin.cookie } });
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain("Elenco parziale");
      expect(html).toContain("Il sistema di identità della Regione non risponde");
      expect(html).not.toContain("Invita una persona");
      const res = await fetch(`${h.base}/backoffice/enti/c_x001/personale/invita`, {
        method: "POST",
        headers: { cookie: asAdmin.cookie, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          _csrf: asAdmin.csrf,
          nome: "Ada",
          cognome: "Neri",
          email: "ada.neri@comune.example",
          ruolo: "operator",
        }).toString(),
      });
      expect(res.status).toBe(503);
      expect(await res.text()).toContain("non risponde. Non è stato modificato nulla.");
    } finally {
      await h.stop();
    }
  });

  test("a mail server that refuses the invitation: access is given, the admin is told the e-mail did not leave, a new invitation sends it again", async () => {
    const h = await startBackoffice({ withIdp: true }); // the realm's SMTP points at a closed port
    try {
      await demoTenant(h.deps, "c_x001");
      const asAdmin = await sessionFor(h, {
        ...principal("admin.borgo", [], { c_x001: ["tenant-admin"] }),
        subject: ADMIN_BORGO,
      });
      const invite = () =>
        fetch(`${h.base}/backoffice/enti/c_x001/personale/invita`, {
          method: "POST",
          headers: { cookie: asAdmin.cookie, "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({
            _csrf: asAdmin.csrf,
            nome: "Ugo",
            cognome: "Bassi",
            email: "ugo.bassi@comune.example",
            ruolo: "viewer",
          }).toString(),
        });
      const first = await invite();
      expect(first.status).toBe(502);
      expect(await first.text()).toContain("ora ha accesso all&#x27;ente come Consultazione, ma l&#x27;e-mail");
      const realm = new RealmAdmin({
        issuer: h.idp!.issuer,
        clientId: "pontepa-admin",
        clientSecret: "dev-admin-secret",
      });
      const user = (await realm.findUserByEmail("ugo.bassi@comune.example"))!;
      expect((await realm.userGroups(user.id)).map((g) => g.path)).toEqual(["/tenants/c_x001/viewers"]);
      // Still waiting for a password: inviting again tries the e-mail again instead of refusing.
      expect((await invite()).status).toBe(502);
      const tenant = await demoTenant(h.deps, "c_x001");
      const audit = await h.deps.db.withTenant(tenant.id, (tx) =>
        tx.auditLog.findMany({
          where: { tenantId: tenant.id, entityId: user.id },
          orderBy: [{ at: "asc" }, { id: "asc" }],
        }),
      );
      expect(audit.map((a) => a.after)).toEqual([
        { email: "ugo.bassi@comune.example", roles: ["viewer"], created: true, emailSent: false },
        { email: "ugo.bassi@comune.example", roles: ["viewer"], created: false, emailSent: false },
      ]);
    } finally {
      await h.stop();
    }
  });
});
