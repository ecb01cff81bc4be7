import { mkdtemp, rm } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { inflateRawSync } from "node:zlib";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../../infra/dev-idp/spid/test-harness.ts";
import {
  CITIZEN_SESSION_COOKIE,
  CitizenSessions,
  SPID_LOGIN_COOKIE,
} from "../../server/identity/spid/citizen-session.ts";
import { loginThroughIdp, logoutThroughIdp, registerWithIdp } from "../../server/test/harness/spid/idp-roundtrip.ts";
import { makeTenant } from "../../server/test/factories.ts";
import { testDeps } from "../../server/test/support.ts";
import type { Tenant } from "../../server/generated/prisma/client.ts";
import { useViewEngine } from "../shared/view-engine.ts";
import { citizenRoutes } from "./citizen.routes.ts";

/** The citizen portal on a loopback port, its SPID SPs known to the test IdP. */
async function startPortal(idp: Harness, keyDir: string, mode: "aggregator" | "per-tenant") {
  const app = express();
  const server: Server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const deps = testDeps({
    PUBLIC_BASE_URL: base,
    SPID_SP_MODE: mode,
    SPID_SP_KEY_DIR: keyDir,
    SPID_IDP_REGISTRY: `${idp.baseUrl}/metadata`,
  });
  useViewEngine(app);
  app.use(citizenRoutes(deps));
  return { base, deps, close: async () => (await new Promise((resolve) => server.close(resolve)), await deps.close()) };
}

const cookiesOf = (res: Response) =>
  Object.fromEntries(res.headers.getSetCookie().map((c) => c.split(";")[0]!.split("=") as [string, string]));
const cookieHeader = (jar: Record<string, string>) =>
  Object.entries(jar)
    .map(([k, v]) => `${k}=${v}`)
    .join("; ");
const unescapeHtml = (s: string) => s.replace(/&#x3D;/g, "=").replace(/&amp;/g, "&");
const requestXml = (location: string) =>
  inflateRawSync(Buffer.from(new URL(location).searchParams.get("SAMLRequest")!, "base64")).toString();

describe("citizen portal: SPID login and single logout through the test IdP", () => {
  let idp: Harness;
  let keyDir: string;
  let portal: Awaited<ReturnType<typeof startPortal>>;
  let alfa: Tenant;
  let beta: Tenant;
  const get = (p: string, jar: Record<string, string> = {}) =>
    fetch(`${portal.base}${p}`, { headers: { cookie: cookieHeader(jar) }, redirect: "manual" });
  const post = (url: string, body: Record<string, string>, jar: Record<string, string> = {}) =>
    fetch(url.startsWith("http") ? url : `${portal.base}${url}`, {
      method: "POST",
      body: new URLSearchParams(body),
      headers: { cookie: cookieHeader(jar), "content-type": "application/x-www-form-urlencoded" },
      redirect: "manual",
    });

  /** From the login page (query `q`) to a logged-in browser: the SP's ACS it came back to, its cookies. */
  async function logIn(q: string) {
    const page = await get(`/accedi${q}`);
    const jar = cookiesOf(page);
    const link = unescapeHtml(/href="(\/spid\/login\?[^"]+)"/.exec(await page.text())![1]!);
    const started = await get(link, jar);
    expect(started.status).toBe(302);
    const toIdp = started.headers.get("location")!;
    const login = cookiesOf(started);
    expect(login[SPID_LOGIN_COOKIE]).toMatch(/^[\w-]{43}$/);
    const { action, samlResponse, relayState } = await loginThroughIdp(idp, toIdp);
    const back = await post(action!, { SAMLResponse: samlResponse, RelayState: relayState! }, { ...jar, ...login });
    expect(back.status).toBe(303);
    // The browser lands on the page it came back to, which gives it a CSRF token bound to the new session.
    const loggedIn = { ...jar, ...cookiesOf(back) };
    Object.assign(loggedIn, cookiesOf(await get(back.headers.get("location")!, loggedIn)));
    return {
      jar: loggedIn,
      action: action!,
      issuer: /<saml:Issuer[^>]*>([^<]+)</.exec(requestXml(toIdp))![1],
      returnedTo: back.headers.get("location"),
    };
  }

  beforeAll(async () => {
    idp = await startHarness();
    keyDir = await mkdtemp(path.join(tmpdir(), "spid-portal-"));
    portal = await startPortal(idp, keyDir, "per-tenant");
    alfa = await makeTenant(portal.deps.db, { name: "Comune di Alfa" });
    beta = await makeTenant(portal.deps.db, { name: "Comune di Beta" });
    for (const p of ["/spid/metadata", `/spid/enti/${alfa.ipaCode}/metadata`, `/spid/enti/${beta.ipaCode}/metadata`]) {
      const res = await get(p);
      expect(res.headers.get("content-type")).toMatch(/^application\/samlmetadata\+xml/);
      await registerWithIdp(idp, await res.text());
    }
  });
  afterAll(async () => {
    await portal.close();
    await idp.close();
    await rm(keyDir, { recursive: true, force: true });
  });

  it("ends our session before sending the citizen to the IdP, then shows 'Sei uscito' for the IdP's answer, once", async () => {
    const { jar, action, returnedTo } = await logIn("");
    expect(action).toBe(`${portal.base}/spid/acs`); // no council: the Region's SP
    expect(returnedTo).toBe("/le-mie-posizioni");
    const sessions = new CitizenSessions(portal.deps.redis, portal.deps.config.QUEUE_PREFIX);
    expect(await sessions.get(jar[CITIZEN_SESSION_COOKIE])).toMatchObject({
      fiscalCode: "RSSMRA80A01H501U",
      spTenant: null,
    });

    const out = await post("/esci", { _csrf: jar.pp_csrf! }, jar);
    expect(out.status).toBe(303);
    expect(out.headers.get("location")).toMatch(new RegExp(`^${idp.baseUrl}/slo\\?SAMLRequest=`));
    // Gone already, before the IdP has said anything: an IdP that never answers changes nothing.
    expect(await sessions.get(jar[CITIZEN_SESSION_COOKIE])).toBeNull();
    expect(out.headers.getSetCookie().join()).toMatch(new RegExp(`${CITIZEN_SESSION_COOKIE}=;`));

    const answer = await logoutThroughIdp(out.headers.get("location")!);
    expect(answer.target).toBe(`${portal.base}/spid/slo`);
    const done = await post(answer.target!, { SAMLResponse: answer.samlResponse });
    expect(done.status).toBe(200);
    expect(await done.text()).toMatch(/<h1>Sei uscito<\/h1>/);
    const again = await post(answer.target!, { SAMLResponse: answer.samlResponse });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain("il gestore di identità SPID non ha confermato l&#x27;uscita");
  });

  it("login CSRF: the attacker's own answer, posted from the victim's browser, logs nobody in", async () => {
    const link = `/spid/login?idp=${encodeURIComponent(idp.baseUrl)}`;
    const attacker = await get(link);
    const location = new URL(attacker.headers.get("location")!);
    expect(location.searchParams.get("RelayState")).not.toContain("le-mie-posizioni");
    const { action, samlResponse, relayState } = await loginThroughIdp(idp, location.href);
    // The victim's browser: its own CSRF cookie, no login cookie of this login.
    const victimJar = cookiesOf(await get("/accedi"));
    const res = await post(action!, { SAMLResponse: samlResponse, RelayState: relayState! }, victimJar);
    expect(res.status).toBe(401);
    expect(await res.text()).toContain("La risposta del gestore di identità non è valida");
    expect(res.headers.getSetCookie().join()).not.toMatch(new RegExp(`\\b${CITIZEN_SESSION_COOKIE}=`));
  });

  it("still ends our session when the IdP cannot be asked to log out, and says the IdP did not confirm", async () => {
    const sessions = new CitizenSessions(portal.deps.redis, portal.deps.config.QUEUE_PREFIX);
    const id = await sessions.create({
      fiscalCode: "RSSMRA80A01H501U",
      name: "Mario Rossi",
      level: 2,
      idp: "https://idp.non-piu-nel-registro.example",
      nameId: "_n",
      sessionIndex: "_s",
      spTenant: null,
    });
    const jar: Record<string, string> = { [CITIZEN_SESSION_COOKIE]: id };
    Object.assign(jar, cookiesOf(await get("/accedi", jar)));
    const out = await post("/esci", { _csrf: jar.pp_csrf! }, jar);
    expect(out.status).toBe(200);
    const html = await out.text();
    expect(html).toMatch(/<h1>Sei uscito dal portale<\/h1>/);
    expect(html).toContain("il gestore di identità SPID non ha confermato l&#x27;uscita");
    expect(await sessions.get(id)).toBeNull();
  });

  it("per-tenant: a login from a council's pages uses that council's SP, for login and logout", async () => {
    const council = await get(`/enti/${alfa.ipaCode}`);
    expect(unescapeHtml(await council.text())).toContain(`href="/accedi?ritorno=%2Fenti%2F${alfa.ipaCode}"`);
    const { jar, action, issuer, returnedTo } = await logIn(`?ritorno=${encodeURIComponent(`/enti/${alfa.ipaCode}`)}`);
    expect(issuer).toBe(`${portal.base}/spid/enti/${alfa.ipaCode}/metadata`);
    expect(action).toBe(`${portal.base}/spid/enti/${alfa.ipaCode}/acs`);
    expect(returnedTo).toBe(`/enti/${alfa.ipaCode}`);

    const out = await post("/esci", { _csrf: jar.pp_csrf! }, jar);
    expect(requestXml(out.headers.get("location")!)).toContain(
      `NameQualifier="${portal.base}/spid/enti/${alfa.ipaCode}/metadata"`,
    );
    const answer = await logoutThroughIdp(out.headers.get("location")!);
    expect(answer.target).toBe(`${portal.base}/spid/enti/${alfa.ipaCode}/slo`);
    expect(await (await post(answer.target!, { SAMLResponse: answer.samlResponse })).text()).toMatch(
      /<h1>Sei uscito<\/h1>/,
    );
  });

  it("per-tenant: `ente` picks the council; an answer for one council's SP posted to another's ACS logs nobody in", async () => {
    const page = await get(`/accedi?ente=${beta.ipaCode}`);
    expect(await page.text()).toContain("tramite il servizio SPID di <strong>Comune di Beta</strong>");
    const jar = cookiesOf(page);
    const link = `/spid/login?idp=${encodeURIComponent(idp.baseUrl)}&ente=${beta.ipaCode}`;
    const started = await get(link, jar);
    const { action, samlResponse, relayState } = await loginThroughIdp(idp, started.headers.get("location")!);
    expect(action).toBe(`${portal.base}/spid/enti/${beta.ipaCode}/acs`);
    const misrouted = await post(
      `/spid/enti/${alfa.ipaCode}/acs`,
      { SAMLResponse: samlResponse, RelayState: relayState! },
      { ...jar, ...cookiesOf(started) },
    );
    expect(misrouted.status).toBe(401);
    expect(misrouted.headers.getSetCookie().join()).not.toMatch(new RegExp(`\\b${CITIZEN_SESSION_COOKIE}=`));
    expect((await get(`/spid/enti/c_nessuno/metadata`)).status).toBe(404);
  });

  it("offers no CIE login while CIE_IDP_METADATA is none (the default)", async () => {
    const page = await (await get("/accedi")).text();
    expect(page).toMatch(/<h1>Accedi con SPID<\/h1>/);
    expect(page).not.toContain("Entra con CIE");
    expect((await get("/cie/metadata")).status).toBe(404);
    expect((await get("/cie/login")).status).toBe(404);
  });
});
