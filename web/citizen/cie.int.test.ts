import { mkdtemp, rm } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { inflateRawSync } from "node:zlib";
import express from "express";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startHarness, type Harness } from "../../infra/dev-idp/spid/test-harness.ts";
import {
  CIE_LOGIN_COOKIE,
  CITIZEN_SESSION_COOKIE,
  CitizenSessions,
} from "../../server/identity/spid/citizen-session.ts";
import { loginThroughIdp, logoutThroughIdp, registerWithIdp } from "../../server/test/harness/spid/idp-roundtrip.ts";
import { testDeps } from "../../server/test/support.ts";
import { useViewEngine } from "../shared/view-engine.ts";
import { citizenRoutes } from "./citizen.routes.ts";

const cookiesOf = (res: Response) =>
  Object.fromEntries(res.headers.getSetCookie().map((c) => c.split(";")[0]!.split("=") as [string, string]));
const cookieHeader = (jar: Record<string, string>) =>
  Object.entries(jar)
    .map(([k, v]) => `${k}=${v}`)
    .join("; ");
const unescapeHtml = (s: string) => s.replace(/&#x3D;/g, "=").replace(/&amp;/g, "&");

describe("citizen portal: CIE ID login beside SPID, through the CIE test IdP", () => {
  let idp: Harness;
  let keyDir: string;
  let base: string;
  let server: Server;
  let deps: ReturnType<typeof testDeps>;
  const get = (p: string, jar: Record<string, string> = {}) =>
    fetch(`${base}${p}`, { headers: { cookie: cookieHeader(jar) }, redirect: "manual" });
  const post = (url: string, body: Record<string, string>, jar: Record<string, string> = {}) =>
    fetch(url.startsWith("http") ? url : `${base}${url}`, {
      method: "POST",
      body: new URLSearchParams(body),
      headers: { cookie: cookieHeader(jar), "content-type": "application/x-www-form-urlencoded" },
      redirect: "manual",
    });

  /** From the login page's "Entra con CIE" to what the CIE IdP posts back, with the browser's cookies. */
  async function startCieLogin() {
    const page = await get("/accedi?ritorno=%2Fle-mie-posizioni");
    const jar = cookiesOf(page);
    const link = unescapeHtml(/class="cie-button" href="([^"]+)"/.exec(await page.text())![1]!);
    const started = await get(link, jar);
    expect(started.status).toBe(302);
    const cookie = started.headers.getSetCookie().find((c) => c.startsWith(`${CIE_LOGIN_COOKIE}=`))!;
    expect(cookie).toMatch(/Path=\/cie/);
    return { jar: { ...jar, ...cookiesOf(started) }, toIdp: started.headers.get("location")! };
  }

  beforeAll(async () => {
    idp = await startHarness({ flavour: "cie" });
    keyDir = await mkdtemp(path.join(tmpdir(), "cie-portal-"));
    const app = express();
    server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    deps = testDeps({
      PUBLIC_BASE_URL: base,
      SPID_SP_KEY_DIR: keyDir,
      SPID_IDP_REGISTRY: `${idp.baseUrl}/metadata`,
      CIE_IDP_METADATA: `${idp.baseUrl}/metadata`,
      // Its own Redis prefix: the anonymous per-address limit is shared by every file of the run
      // calling from 127.0.0.1 (the rate-limit tests spend it on purpose).
      QUEUE_PREFIX: `${inject("queuePrefix")}-cie`,
    });
    useViewEngine(app);
    app.use(citizenRoutes(deps));
    const metadata = await get("/cie/metadata");
    expect(metadata.status).toBe(200);
    expect(metadata.headers.get("content-type")).toMatch(/^application\/samlmetadata\+xml/);
    await registerWithIdp(idp, await metadata.text());
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await deps.close();
    await idp.close();
    await rm(keyDir, { recursive: true, force: true });
  });

  it("publishes CIE SP metadata of its own (entityID, ACS, the cie: public-body extensions)", async () => {
    const xml = await (await get("/cie/metadata")).text();
    expect(xml).toContain(`entityID="${base}/cie/metadata"`);
    expect(xml).toContain(`Location="${base}/cie/acs"`);
    expect(xml).toMatch(/<md:ContactPerson contactType="administrative"><md:Extensions><cie:Public\/><cie:IPACode>/);
    expect(xml).toContain('xmlns:cie="https://www.cartaidentita.interno.gov.it/saml-extensions"');
    expect(xml).not.toContain("spid:");
    // Asks for what CIE certifies: no e-mail.
    expect(xml).toContain('<md:RequestedAttribute Name="dateOfBirth"/>');
    expect(xml).not.toContain('Name="email"');
  });

  it("logs in with CIE: the 'Entra con CIE' button, a signed request to the CIE IdP, a session that remembers CIE", async () => {
    const page = await (await get("/accedi")).text();
    expect(page).toMatch(/<h1>Accedi con SPID o CIE<\/h1>/);
    expect(page).toContain("<span>Entra con CIE</span>");
    const { jar, toIdp } = await startCieLogin();
    expect(toIdp.startsWith(`${idp.baseUrl}/sso?SAMLRequest=`)).toBe(true);
    const request = inflateRawSync(Buffer.from(new URL(toIdp).searchParams.get("SAMLRequest")!, "base64")).toString();
    expect(request).toContain(`>${base}/cie/metadata</saml:Issuer>`);

    const { action, samlResponse, relayState } = await loginThroughIdp(idp, toIdp, "lucia.verdi");
    expect(action).toBe(`${base}/cie/acs`);
    const back = await post(action!, { SAMLResponse: samlResponse, RelayState: relayState! }, jar);
    expect(back.status).toBe(303);
    expect(back.headers.get("location")).toBe("/le-mie-posizioni");
    const sessions = new CitizenSessions(deps.redis, deps.config.QUEUE_PREFIX);
    expect(await sessions.get(cookiesOf(back)[CITIZEN_SESSION_COOKIE])).toMatchObject({
      fiscalCode: "VRDLCU90A41F205P",
      name: "Lucia Verdi",
      scheme: "cie",
      idp: idp.baseUrl,
      email: null,
    });
  });

  it("refuses a CIE Response tampered after signing, and one posted at the SPID ACS", async () => {
    const scenario = await fetch(`${idp.baseUrl}/admin/scenario`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ scenario: "tampered-attribute-after-signing", once: true }),
    });
    expect(scenario.ok).toBe(true);
    const tampered = await startCieLogin();
    const t = await loginThroughIdp(idp, tampered.toIdp, "lucia.verdi");
    expect(Buffer.from(t.samlResponse, "base64").toString()).toContain("TINIT-VRDGPP13R10B293P");
    const refused = await post(t.action!, { SAMLResponse: t.samlResponse, RelayState: t.relayState! }, tampered.jar);
    expect(refused.status).toBe(401);
    expect(await refused.text()).toContain("La risposta del gestore di identità non è valida");
    expect(refused.headers.getSetCookie().join()).not.toMatch(new RegExp(`\\b${CITIZEN_SESSION_COOKIE}=`));

    // A genuine CIE answer brought to the SPID SP's ACS: another SP's request, refused.
    const genuine = await startCieLogin();
    const g = await loginThroughIdp(idp, genuine.toIdp, "lucia.verdi");
    const misrouted = await post("/spid/acs", { SAMLResponse: g.samlResponse, RelayState: g.relayState! }, genuine.jar);
    expect(misrouted.status).toBe(401);
    expect(misrouted.headers.getSetCookie().join()).not.toMatch(new RegExp(`\\b${CITIZEN_SESSION_COOKIE}=`));
  });

  it("logs out through the CIE IdP's single logout and says so", async () => {
    const { jar, toIdp } = await startCieLogin();
    const { action, samlResponse, relayState } = await loginThroughIdp(idp, toIdp, "lucia.verdi");
    const back = await post(action!, { SAMLResponse: samlResponse, RelayState: relayState! }, jar);
    const loggedIn = { ...jar, ...cookiesOf(back) };
    Object.assign(loggedIn, cookiesOf(await get("/le-mie-posizioni", loggedIn)));

    const out = await post("/esci", { _csrf: loggedIn.pp_csrf! }, loggedIn);
    expect(out.status).toBe(303);
    expect(out.headers.get("location")).toMatch(new RegExp(`^${idp.baseUrl}/slo\\?SAMLRequest=`));
    const sessions = new CitizenSessions(deps.redis, deps.config.QUEUE_PREFIX);
    expect(await sessions.get(loggedIn[CITIZEN_SESSION_COOKIE])).toBeNull();
    const answer = await logoutThroughIdp(out.headers.get("location")!);
    expect(answer.target).toBe(`${base}/cie/slo`);
    const done = await post(answer.target!, { SAMLResponse: answer.samlResponse });
    expect(done.status).toBe(200);
    const html = await done.text();
    expect(html).toMatch(/<h1>Sei uscito<\/h1>/);
    expect(html).toContain("presso il tuo gestore di identità CIE");
  });
});
