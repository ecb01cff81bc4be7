import * as client from "openid-client";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startMailCatcher, type MailCatcher } from "../../mail-catcher/catcher.ts";
import {
  BACKOFFICE,
  discover,
  formAction,
  hiddenFields,
  loginAs,
  startIdp,
  TestBrowser,
  type RunningIdp,
} from "./test-browser.ts";

const ADMIN = { clientId: "pontepa-admin", secret: "dev-admin-secret" };
const GESTIONALE = { clientId: "gestionale-borgo-fiorito", secret: "dev-gestionale-secret" };
const MARCO = "8b0e7d1c-1f0a-4a51-9d3e-0c5a4f1b2a04"; // operatore.borgo

let run: RunningIdp;
let mail: MailCatcher;
let admin: string;
let api: string;

async function tokenOf(c: { clientId: string; secret: string }) {
  return (await client.clientCredentialsGrant(await discover(run.issuer, c.clientId, c.secret))).access_token;
}
const call = (path: string, init: RequestInit = {}, token = admin) =>
  fetch(`${api}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${token}`,
      ...(init.body ? { "content-type": "application/json" } : {}),
      ...init.headers,
    },
  });
const group = async (path: string) =>
  (await (await call(`/group-by-path${path}`)).json()) as { id: string; path: string };
const groupsOf = async (id: string) =>
  ((await (await call(`/users/${id}/groups`)).json()) as { path: string }[]).map((g) => g.path).sort();

beforeAll(async () => {
  mail = await startMailCatcher({ smtpPort: 0, httpPort: 0 });
  run = await startIdp(undefined, { smtpUrl: `smtp://127.0.0.1:${mail.smtpPort}` });
  api = `${run.base}/admin/realms/pontepa`;
  admin = await tokenOf(ADMIN);
});
afterAll(async () => {
  await run.stop();
  await mail.close();
});

describe("dev IdP: Keycloak Admin REST API subset", () => {
  test("refuses no token and a forged token (401), and a realm token without realm-management roles (403)", async () => {
    expect((await fetch(`${api}/users?email=x`)).status).toBe(401);
    expect((await call("/users?email=x", {}, `${admin.slice(0, -4)}AAAA`)).status).toBe(401);
    const denied = await call("/users?email=x", {}, await tokenOf(GESTIONALE));
    expect(denied.status).toBe(403);
    expect(await denied.json()).toEqual({ error: "HTTP 403 Forbidden" });
    expect(
      (
        await call(
          `/users/${MARCO}/groups/${(await group("/tenants/c_x001/viewers")).id}`,
          { method: "PUT" },
          await tokenOf(GESTIONALE),
        )
      ).status,
    ).toBe(403);
  });

  test("the admin token carries realm-management roles and names realm-management as audience", () => {
    const payload = JSON.parse(Buffer.from(admin.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
    expect(payload.resource_access).toEqual({
      "realm-management": {
        roles: ["manage-clients", "manage-users", "query-groups", "view-clients", "view-realm", "view-users"],
      },
    });
    expect(payload.aud).toEqual(["pontepa-admin", "realm-management"]);
  });

  test("finds users by exact e-mail, groups by path (404 when unknown), with Keycloak's shapes", async () => {
    const found = (await (await call("/users?email=operatore.borgo@pontepa.invalid&exact=true")).json()) as unknown[];
    expect(found).toEqual([
      expect.objectContaining({
        id: MARCO,
        username: "operatore.borgo",
        email: "operatore.borgo@pontepa.invalid",
        enabled: true,
        requiredActions: [],
      }),
    ]);
    expect(await (await call("/users?email=operatore.borgo@pontepa&exact=true")).json()).toEqual([]);
    expect(await group("/tenants/c_x001/operators")).toMatchObject({
      name: "operators",
      path: "/tenants/c_x001/operators",
      subGroups: [],
    });
    const missing = await call("/group-by-path/tenants/c_x999/operators");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: "Group path does not exist" });
    expect((await call("/users/nobody")).status).toBe(404);
  });

  test("creates a user (201 + Location, 409 on the same e-mail), moves them between groups, lists group members", async () => {
    const body = {
      username: "lucia.rossi@comune.example",
      email: "lucia.rossi@comune.example",
      firstName: "Lucia",
      lastName: "Rossi",
      enabled: true,
      requiredActions: ["UPDATE_PASSWORD"],
    };
    const created = await call("/users", { method: "POST", body: JSON.stringify(body) });
    expect(created.status).toBe(201);
    const location = created.headers.get("location")!;
    expect(location.startsWith(`${api}/users/`)).toBe(true);
    const id = location.split("/").pop()!;
    const again = await call("/users", { method: "POST", body: JSON.stringify({ ...body, username: "altro" }) });
    expect(again.status).toBe(409);
    expect(await again.json()).toEqual({ errorMessage: "User exists with same email" });

    const operators = await group("/tenants/c_x001/operators");
    expect((await call(`/users/${id}/groups/${operators.id}`, { method: "PUT" })).status).toBe(204);
    expect(await groupsOf(id)).toEqual(["/tenants/c_x001/operators"]);
    const members = (await (await call(`/groups/${operators.id}/members`)).json()) as { username: string }[];
    expect(members.map((m) => m.username).sort()).toEqual(["lucia.rossi@comune.example", "operatore.borgo"]);
    expect((await call(`/users/${id}/groups/${operators.id}`, { method: "DELETE" })).status).toBe(204);
    expect(await groupsOf(id)).toEqual([]);
    expect((await call(`/users/${id}/groups/not-a-group`, { method: "PUT" })).status).toBe(404);
  });

  test("execute-actions-email: the invited person sets a password through the e-mailed link (once), then logs in with the groups", async () => {
    const created = await call("/users", {
      method: "POST",
      body: JSON.stringify({
        username: "paolo.neri@comune.example",
        email: "paolo.neri@comune.example",
        firstName: "Paolo",
        lastName: "Neri",
        enabled: true,
        requiredActions: ["UPDATE_PASSWORD"],
      }),
    });
    const id = created.headers.get("location")!.split("/").pop()!;
    await call(`/users/${id}/groups/${(await group("/tenants/c_x002/viewers")).id}`, { method: "PUT" });
    const config = await discover(run.issuer);
    await expect(loginAs(new TestBrowser(), config, "paolo.neri@comune.example", "")).rejects.toThrow(
      /did not reach the callback/,
    );

    const badRedirect = await call(
      `/users/${id}/execute-actions-email?client_id=${BACKOFFICE.clientId}&redirect_uri=${encodeURIComponent("https://evil.example/")}`,
      { method: "PUT", body: '["UPDATE_PASSWORD"]' },
    );
    expect(badRedirect.status).toBe(400);
    expect(await badRedirect.json()).toEqual({ errorMessage: "Invalid redirect uri." });
    const back = "http://127.0.0.1:3000/backoffice/";
    const sent = await call(
      `/users/${id}/execute-actions-email?client_id=${BACKOFFICE.clientId}&redirect_uri=${encodeURIComponent(back)}`,
      { method: "PUT", body: '["UPDATE_PASSWORD"]' },
    );
    expect(sent.status).toBe(204);
    const message = mail.messages.find((m) => m.to.includes("paolo.neri@comune.example"))!;
    expect(message.subject).toBe("Completa il tuo accesso a PontePA");
    const link = /(http:\S+action-token\?key=\S+)/.exec(message.text)![1]!;

    const browser = new TestBrowser();
    const form = await (await browser.request(link)).text();
    expect(form).toContain("Imposta la tua password");
    const action = formAction(form, link, "action-token");
    const short = await browser.post(action, { ...hiddenFields(form), password: "corta", "password-confirm": "corta" });
    expect(short.status).toBe(422);
    expect(await short.text()).toContain("almeno 8 caratteri");
    const done = await browser.post(action, {
      ...hiddenFields(form),
      password: "Una password lunga",
      "password-confirm": "Una password lunga",
    });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain(`href="${back}"`);
    const reused = await browser.post(action, {
      ...hiddenFields(form),
      password: "Altra password!",
      "password-confirm": "Altra password!",
    });
    expect(reused.status).toBe(400);
    expect(await reused.text()).toContain("scaduto oppure è già stato usato");

    expect(await (await call(`/users/${id}`)).json()).toMatchObject({ requiredActions: [], emailVerified: true });
    const { tokens } = await loginAs(new TestBrowser(), config, "paolo.neri@comune.example", "Una password lunga");
    expect(tokens.claims()).toMatchObject({
      sub: id,
      preferred_username: "paolo.neri@comune.example",
      groups: ["/tenants/c_x002/viewers"],
      realm_access: { roles: ["viewer"] },
    });
  });

  test("an e-mail the SMTP server does not take is a 500, as Keycloak answers", async () => {
    const broken = await startIdp(undefined, { smtpUrl: "smtp://127.0.0.1:9" });
    try {
      const token = (await client.clientCredentialsGrant(await discover(broken.issuer, ADMIN.clientId, ADMIN.secret)))
        .access_token;
      const res = await fetch(`${broken.base}/admin/realms/pontepa/users/${MARCO}/execute-actions-email`, {
        method: "PUT",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: '["UPDATE_PASSWORD"]',
      });
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({ errorMessage: "Failed to send execute actions email" });
    } finally {
      await broken.stop();
    }
  });

  test("invited users, passwords and group changes of demo users survive a restart", async () => {
    const viewers = await group("/tenants/c_x001/viewers");
    await call(`/users/${MARCO}/groups/${viewers.id}`, { method: "PUT" });
    const before = await groupsOf(MARCO);
    await run.stop({ keepData: true });
    run = await startIdp(run.dataDir, { smtpUrl: `smtp://127.0.0.1:${mail.smtpPort}` });
    api = `${run.base}/admin/realms/pontepa`;
    admin = await tokenOf(ADMIN);
    expect(await groupsOf(MARCO)).toEqual(before);
    expect(before).toEqual(["/tenants/c_x001/operators", "/tenants/c_x001/viewers"]);
    const { tokens } = await loginAs(
      new TestBrowser(),
      await discover(run.issuer),
      "paolo.neri@comune.example",
      "Una password lunga",
    );
    expect(tokens.claims()!.groups).toEqual(["/tenants/c_x002/viewers"]);
  });
});
