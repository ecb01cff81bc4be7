import { createRemoteJWKSet, jwtVerify } from "jose";
import * as client from "openid-client";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  BACKOFFICE,
  beginLogin,
  discover,
  formAction,
  hiddenFields,
  loginAs,
  startIdp,
  submitLogin,
  TestBrowser,
  type RunningIdp,
} from "./test-browser.ts";

let run: RunningIdp;
beforeAll(async () => {
  run = await startIdp();
});
afterAll(async () => {
  await run.stop();
});

describe("realm pontepa: discovery", () => {
  test("openid-client discovers Keycloak's endpoints under /realms/pontepa", async () => {
    const config = await discover(run.issuer);
    const meta = config.serverMetadata();
    const realm = `${run.base}/realms/pontepa`;
    expect(meta.issuer).toBe(realm);
    expect(meta.authorization_endpoint).toBe(`${realm}/protocol/openid-connect/auth`);
    expect(meta.token_endpoint).toBe(`${realm}/protocol/openid-connect/token`);
    expect(meta.jwks_uri).toBe(`${realm}/protocol/openid-connect/certs`);
    expect(meta.userinfo_endpoint).toBe(`${realm}/protocol/openid-connect/userinfo`);
    expect(meta.end_session_endpoint).toBe(`${realm}/protocol/openid-connect/logout`);
    expect(meta.code_challenge_methods_supported).toEqual(["S256"]);
    expect(meta.id_token_signing_alg_values_supported).toContain("RS256");
    expect(meta.grant_types_supported).toEqual(
      expect.arrayContaining(["authorization_code", "refresh_token", "client_credentials"]),
    );
  });

  test("the health check answers", async () => {
    const response = await fetch(`${run.base}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });
});

describe("realm pontepa: authorization code + PKCE", () => {
  test("an operator logs in through the Italian form; ID and access tokens verify against the JWKS with Keycloak's claims", async () => {
    const config = await discover(run.issuer);
    const browser = new TestBrowser();
    const begin = await beginLogin(browser, config);
    expect(begin.response.status).toBe(200);
    expect(begin.at).toMatch(new RegExp(`^${run.base}/realms/pontepa/login-actions/`));
    const html = await begin.response.text();
    expect(html).toContain('<html lang="it">');
    expect(html).toContain('<label for="username">Nome utente o e-mail</label>');
    expect(html).not.toContain("<script");

    const done = await submitLogin(browser, begin.at, html, "operatore.borgo", "demo");
    const callback = new URL(done.at);
    expect(`${callback.origin}${callback.pathname}`).toBe(BACKOFFICE.redirectUri);
    expect(callback.searchParams.get("state")).toBe(begin.state);
    expect(callback.searchParams.get("code")).toBeTruthy();

    const tokens = await client.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: begin.verifier,
      expectedState: begin.state,
      expectedNonce: begin.nonce,
    });
    expect(tokens.refresh_token).toBeTruthy();
    const jwks = createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri!));

    const { payload: id, protectedHeader } = await jwtVerify(tokens.id_token!, jwks, {
      issuer: run.issuer,
      audience: BACKOFFICE.clientId,
    });
    expect(protectedHeader.alg).toBe("RS256");
    expect(id.nonce).toBe(begin.nonce);
    expect(id).toMatchObject({
      preferred_username: "operatore.borgo",
      email: "operatore.borgo@pontepa.invalid",
      name: "Marco Bianchi",
      realm_access: { roles: ["operator"] },
      groups: ["/tenants/c_x001/operators"],
    });

    const { payload: access } = await jwtVerify(tokens.access_token, jwks, {
      issuer: run.issuer,
      audience: BACKOFFICE.clientId,
    });
    expect(access.aud).toEqual(["pontepa-backoffice", "pontepa-api"]);
    expect(access).toMatchObject({
      sub: id.sub,
      azp: "pontepa-backoffice",
      typ: "Bearer",
      preferred_username: "operatore.borgo",
      email: "operatore.borgo@pontepa.invalid",
      name: "Marco Bianchi",
      realm_access: { roles: ["operator"] },
      resource_access: { "pontepa-api": { roles: ["positions.read", "positions.write", "receipts.read"] } },
      groups: ["/tenants/c_x001/operators"],
    });
    expect(String(access.scope).split(" ")).toContain("openid");

    const info = await client.fetchUserInfo(config, tokens.access_token, id.sub!);
    expect(info).toMatchObject({
      preferred_username: "operatore.borgo",
      groups: ["/tenants/c_x001/operators"],
      realm_access: { roles: ["operator"] },
    });
  });

  test("roles follow the realm data: platform admin, helpdesk and a tenant admin of another council", async () => {
    const config = await discover(run.issuer);
    const expectations: Record<string, { roles: string[]; groups: string[] }> = {
      "admin.regione": { roles: ["platform-admin"], groups: [] },
      helpdesk: { roles: ["regional-helpdesk"], groups: [] },
      "admin.valle": { roles: ["tenant-admin"], groups: ["/tenants/c_x002/admins"] },
      "viewer.borgo": { roles: ["viewer"], groups: ["/tenants/c_x001/viewers"] },
    };
    for (const [username, expected] of Object.entries(expectations)) {
      const { tokens } = await loginAs(new TestBrowser(), config, username);
      const claims = tokens.claims()!;
      expect(claims.preferred_username).toBe(username);
      expect((claims.realm_access as { roles: string[] }).roles).toEqual(expected.roles);
      expect(claims.groups).toEqual(expected.groups);
    }
  });

  test("a wrong password shows the form again with an error and issues no code", async () => {
    const config = await discover(run.issuer);
    const browser = new TestBrowser();
    const begin = await beginLogin(browser, config);
    const html = await begin.response.text();
    const refused = await browser.post(formAction(html, begin.at, "/login"), {
      username: "admin.borgo",
      password: "sbagliata",
    });
    expect(refused.status).toBe(401);
    expect(refused.headers.get("location")).toBeNull();
    const page = await refused.text();
    expect(page).toContain('role="alert"');
    expect(page).toContain("Nome utente o password non validi.");
    expect(page).toContain('aria-invalid="true"');

    // The same interaction still accepts the right password afterwards.
    const done = await submitLogin(browser, begin.at, page, "admin.borgo", "demo");
    expect(new URL(done.at).searchParams.get("code")).toBeTruthy();
  });

  test("an unknown or expired login interaction shows an Italian error page", async () => {
    const response = await new TestBrowser().request(`${run.issuer}/login-actions/not-a-real-interaction`);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("Sessione di accesso scaduta");
  });

  test("PKCE is required, and a wrong code_verifier gets no tokens", async () => {
    const config = await discover(run.issuer);
    const noPkce = client.buildAuthorizationUrl(config, {
      redirect_uri: BACKOFFICE.redirectUri,
      scope: "openid",
      state: "s",
    });
    const { url } = await new TestBrowser().follow(noPkce, {}, BACKOFFICE.redirectUri);
    expect(new URL(url).searchParams.get("error")).toBe("invalid_request");
    expect(new URL(url).searchParams.get("error_description")).toMatch(/PKCE/);

    const browser = new TestBrowser();
    const begin = await beginLogin(browser, config);
    const done = await submitLogin(browser, begin.at, await begin.response.text(), "operatore.valle", "demo");
    await expect(
      client.authorizationCodeGrant(config, new URL(done.at), {
        pkceCodeVerifier: client.randomPKCECodeVerifier(),
        expectedState: begin.state,
        expectedNonce: begin.nonce,
      }),
    ).rejects.toMatchObject({ error: "invalid_grant" });
  });

  test("an unregistered redirect URI is refused on the IdP's own page, never redirected to", async () => {
    const config = await discover(run.issuer);
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: "http://127.0.0.1:9999/evil",
      scope: "openid",
      code_challenge: "x".repeat(43),
      code_challenge_method: "S256",
    });
    const response = await new TestBrowser().request(url);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("redirect_uri");
  });
});

describe("realm pontepa: logout", () => {
  test("RP-initiated logout with id_token_hint ends the session: the next login shows the form again", async () => {
    const config = await discover(run.issuer);
    const browser = new TestBrowser();
    const { tokens } = await loginAs(browser, config, "admin.borgo");

    // While the session lives, a new authorization request goes straight back with a code.
    const again = await beginLogin(browser, config);
    expect(again.at.startsWith(BACKOFFICE.redirectUri)).toBe(true);

    const logoutUrl = client.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: BACKOFFICE.postLogoutRedirectUri,
      state: "bye",
    });
    expect(logoutUrl.pathname).toBe("/realms/pontepa/protocol/openid-connect/logout");
    const confirm = await browser.request(logoutUrl);
    expect(confirm.status).toBe(200);
    const html = await confirm.text();
    expect(html).toContain("Vuoi uscire da PontePA?");
    const ended = await browser.post(formAction(html, logoutUrl.href, "/logout"), {
      ...hiddenFields(html),
      logout: "yes",
    });
    expect(ended.status).toBe(303);
    const back = new URL(ended.headers.get("location")!);
    expect(`${back.origin}${back.pathname}`).toBe(BACKOFFICE.postLogoutRedirectUri);
    expect(back.searchParams.get("state")).toBe("bye");

    const after = await beginLogin(browser, config);
    expect(after.at).toMatch(/\/realms\/pontepa\/login-actions\//);
    expect(await after.response.text()).toContain("Accesso a PontePA");
  });
});
