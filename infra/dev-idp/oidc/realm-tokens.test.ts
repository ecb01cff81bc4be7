import { createRemoteJWKSet, decodeProtectedHeader, errors, generateKeyPair, jwtVerify, SignJWT } from "jose";
import * as client from "openid-client";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { SERVICE_ACCOUNTS } from "./realm-data.ts";
import { BACKOFFICE, discover, loginAs, startIdp, TestBrowser, type RunningIdp } from "./test-browser.ts";

const GESTIONALE = { clientId: "gestionale-borgo-fiorito", secret: "dev-gestionale-secret" };

let run: RunningIdp;
beforeAll(async () => {
  run = await startIdp();
});
afterAll(async () => {
  await run.stop();
});

const jwksOf = (r: RunningIdp) => createRemoteJWKSet(new URL(`${r.issuer}/protocol/openid-connect/certs`));

describe("realm pontepa: service accounts (client_credentials)", () => {
  test.each([
    ["client_secret_post", client.ClientSecretPost(GESTIONALE.secret)],
    ["client_secret_basic", client.ClientSecretBasic(GESTIONALE.secret)],
  ])("the council system gets a JWT with its group and API roles (%s)", async (_method, auth) => {
    const config = await discover(run.issuer, GESTIONALE.clientId, GESTIONALE.secret, auth);
    const tokens = await client.clientCredentialsGrant(config);
    expect(tokens.refresh_token).toBeUndefined();
    const { payload } = await jwtVerify(tokens.access_token, jwksOf(run), {
      issuer: run.issuer,
      audience: GESTIONALE.clientId,
    });
    expect(payload).toMatchObject({
      sub: SERVICE_ACCOUNTS[0]!.id,
      azp: GESTIONALE.clientId,
      client_id: GESTIONALE.clientId,
      preferred_username: "service-account-gestionale-borgo-fiorito",
      groups: ["/tenants/c_x001/systems"],
      resource_access: { "pontepa-api": { roles: ["positions.read", "positions.write", "receipts.read"] } },
      realm_access: { roles: [] },
    });
    expect(payload.aud).toEqual([GESTIONALE.clientId, "pontepa-api"]);
  });

  test("a wrong secret gets invalid_client, and the back-office client may not use client_credentials", async () => {
    const wrong = await discover(run.issuer, GESTIONALE.clientId, "not-the-secret");
    await expect(client.clientCredentialsGrant(wrong)).rejects.toMatchObject({
      status: 401,
      cause: [{ parameters: { error: "invalid_client" } }],
    });
    const backoffice = await discover(run.issuer);
    await expect(client.clientCredentialsGrant(backoffice)).rejects.toMatchObject({
      error: "invalid_request",
      error_description: "requested grant type is not allowed for this client",
    });
  });
});

describe("realm pontepa: refresh and signatures", () => {
  test("a refresh token yields a new access token with the same user claims", async () => {
    const config = await discover(run.issuer);
    const { tokens } = await loginAs(new TestBrowser(), config, "admin.valle");
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    const { payload } = await jwtVerify(refreshed.access_token, jwksOf(run), {
      issuer: run.issuer,
      audience: BACKOFFICE.clientId,
    });
    expect(payload).toMatchObject({
      preferred_username: "admin.valle",
      realm_access: { roles: ["tenant-admin"] },
      groups: ["/tenants/c_x002/admins"],
    });
    expect(refreshed.claims()?.sub).toBe(tokens.claims()?.sub);
    await expect(client.refreshTokenGrant(config, "forged-refresh-token")).rejects.toMatchObject({
      error: "invalid_grant",
    });
  });

  test("a token with the same claims and kid but signed by another key fails verification and userinfo", async () => {
    const config = await discover(run.issuer);
    const { tokens } = await loginAs(new TestBrowser(), config, "operatore.borgo");
    const real = await jwtVerify(tokens.access_token, jwksOf(run), { issuer: run.issuer });
    const { privateKey } = await generateKeyPair("RS256");
    const forged = await new SignJWT(real.payload)
      .setProtectedHeader({ ...decodeProtectedHeader(tokens.access_token), alg: "RS256" })
      .sign(privateKey);

    await expect(jwtVerify(forged, jwksOf(run), { issuer: run.issuer })).rejects.toBeInstanceOf(
      errors.JWSSignatureVerificationFailed,
    );
    const userinfo = await fetch(`${run.issuer}/protocol/openid-connect/userinfo`, {
      headers: { authorization: `Bearer ${forged}` },
    });
    expect(userinfo.status).toBe(401);
    expect(userinfo.headers.get("www-authenticate")).toContain('error="invalid_token"');
    const genuine = await fetch(`${run.issuer}/protocol/openid-connect/userinfo`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(genuine.status).toBe(200);
  });

  test("keys persist in the data directory: a token issued before a restart still verifies after it", async () => {
    const first = await startIdp();
    const config = await discover(first.issuer, GESTIONALE.clientId, GESTIONALE.secret);
    const { access_token } = await client.clientCredentialsGrant(config);
    const kidBefore = decodeProtectedHeader(access_token).kid;
    await first.stop({ keepData: true });

    const second = await startIdp(first.dataDir);
    try {
      const jwks = (await (await fetch(`${second.issuer}/protocol/openid-connect/certs`)).json()) as {
        keys: { kid: string; d?: string }[];
      };
      expect(jwks.keys.map((k) => k.kid)).toEqual([kidBefore]);
      expect(jwks.keys[0]).not.toHaveProperty("d");
      // The issuer differs (new random port), the key does not.
      await expect(jwtVerify(access_token, jwksOf(second), { issuer: first.issuer })).resolves.toBeTruthy();
    } finally {
      await second.stop();
    }
  });
});
