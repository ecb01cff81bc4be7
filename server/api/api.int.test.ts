import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { generateKeyPair, SignJWT, exportJWK, createLocalJWKSet } from "jose";
import * as client from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../app.ts";
import type { Deps } from "../platform/deps.ts";
import { createPosition } from "../positions/create-position.ts";
import { registerReceipt } from "../positions/register-receipt.ts";
import { applyDemoPack } from "../test/demo-pack.ts";
import { testDeps } from "../test/support.ts";
import { pdfText } from "../test/harness/notices/pdf-inspect.ts";
import type { Tenant } from "../generated/prisma/client.ts";
import { discover, startIdp, type RunningIdp } from "../../infra/dev-idp/oidc/test-browser.ts";
import { createApiTokenVerifier } from "./api-token.ts";
import { apiRoutes } from "./api.routes.ts";
import express from "express";
import { problemHandler } from "../platform/http/problem.ts";

const actor = { type: "staff" as const, id: "api-test" };
const GESTIONALE = { clientId: "gestionale-borgo-fiorito", secret: "dev-gestionale-secret" };

describe("REST API: bearer tokens of the realm, tenant from the token's group, PDFs", () => {
  let idp: RunningIdp;
  let deps: Deps;
  let server: Server;
  let base: string;
  let borgo: Tenant;
  let valle: Tenant;
  let token: string;
  let positionId: string;
  let valleTenantPositionId: string;
  let receiptId: string;

  async function makePosition(t: Tenant) {
    return createPosition(
      deps.db,
      t,
      {
        debtor: { fiscalCode: "RSSMRA80A01H501U", name: "Mario Rossi" },
        subject: "Canone mensa",
        single: {
          amountCents: 4_200,
          dueDate: new Date("2026-12-31T10:00:00Z"),
          transfers: [
            {
              iban: "IT60X0542811101000000123456",
              amountCents: 4_200,
              taxonomyCode: "9/0101002IM/",
              remittanceText: "Mensa",
            },
          ],
        },
      },
      actor,
    );
  }
  const get = (path: string, bearer?: string) =>
    fetch(`${base}/api/v1${path}`, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });

  beforeAll(async () => {
    idp = await startIdp();
    deps = testDeps({ OIDC_ISSUER_URL: idp.issuer });
    // The realm's service account is in /tenants/c_x001/systems: the demo councils (the pack is
    // idempotent, another test file may have applied it).
    await applyDemoPack(deps.db, "api-test");
    borgo = await deps.db.client.tenant.findUniqueOrThrow({ where: { ipaCode: "c_x001" } });
    valle = await deps.db.client.tenant.findUniqueOrThrow({ where: { ipaCode: "c_x002" } });
    const mine = await makePosition(borgo);
    positionId = (await makePosition(borgo)).id; // unpaid: its notice prints
    valleTenantPositionId = (await makePosition(valle)).id;
    receiptId = `rcpt-api-${Date.now()}`;
    await registerReceipt(
      deps.db,
      borgo,
      {
        receiptId,
        nav: mine.options[0]!.nav,
        noticeFiscalCode: borgo.fiscalCode,
        outcome: "OK",
        creditorReferenceId: mine.options[0]!.iuv,
        amountCents: 4_200,
        pspId: "PSPTEST",
        standIn: false,
        transfers: [
          {
            index: 1,
            amountCents: 4_200,
            fiscalCodePA: borgo.fiscalCode,
            iban: "IT60X0542811101000000123456",
            remittanceText: "Mensa",
            category: "9/0101002IM/",
          },
        ],
      },
      async () => undefined,
    );
    server = createApp(deps).listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const config = await discover(
      idp.issuer,
      GESTIONALE.clientId,
      GESTIONALE.secret,
      client.ClientSecretBasic(GESTIONALE.secret),
    );
    token = (await client.clientCredentialsGrant(config)).access_token;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await deps?.close();
    await idp?.stop();
  });

  it("gives a council system the notice and the receipt of its own tenant", async () => {
    const notice = await get(`/tenants/c_x001/positions/${positionId}/notice.pdf`, token);
    expect(notice.status).toBe(200);
    expect(notice.headers.get("content-type")).toBe("application/pdf");
    expect(await pdfText(Buffer.from(await notice.arrayBuffer()))).toContain("Canone mensa");

    const receipt = await get(`/tenants/c_x001/receipts/${receiptId}/receipt.pdf`, token);
    expect(receipt.status).toBe(200);
    expect(receipt.headers.get("content-disposition")).toBe(`attachment; filename="ricevuta-${receiptId}-c_x001.pdf"`);
    expect(await pdfText(Buffer.from(await receipt.arrayBuffer()))).toContain(receiptId);
  });

  it("serves the OpenAPI document and the browsable docs from our own origin, under the strict CSP", async () => {
    const doc = await get("/openapi.json");
    expect(doc.status).toBe(200);
    expect(((await doc.json()) as { openapi: string }).openapi).toBe("3.1.0");
    const page = await get("/docs");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).not.toMatch(/https?:\/\//); // no CDN
    for (const asset of [...html.matchAll(/(?:src|href)="(docs\/[^"]+)"/g)].map((m) => m[1]!)) {
      const res = await get(`/${asset}`);
      expect(res.status, asset).toBe(200);
    }
  });

  it("refuses another tenant's objects: 403 by its code, 404 for its ids under ours", async () => {
    const other = await get(`/tenants/c_x002/positions/${valleTenantPositionId}/notice.pdf`, token);
    expect(other.status).toBe(403);
    expect(other.headers.get("content-type")).toContain("application/problem+json");
    const smuggled = await get(`/tenants/c_x001/positions/${valleTenantPositionId}/notice.pdf`, token);
    expect(smuggled.status).toBe(404);
    expect(smuggled.headers.get("content-type")).not.toContain("pdf");
  });

  it("refuses missing, forged, expired and wrong-audience tokens with 401 and a Bearer challenge", async () => {
    const { privateKey } = await generateKeyPair("RS256");
    const claims = {
      typ: "Bearer",
      azp: GESTIONALE.clientId,
      groups: ["/tenants/c_x001/systems"],
      resource_access: { "pontepa-api": { roles: ["positions.read", "receipts.read"] } },
    };
    const sign = (c: object, key = privateKey, opts: { aud?: string; exp?: string | number } = {}) =>
      new SignJWT({ ...c })
        .setProtectedHeader({ alg: "RS256", kid: "forged" })
        .setIssuer(idp.issuer)
        .setAudience(opts.aud ?? "pontepa-api")
        .setIssuedAt()
        .setExpirationTime(opts.exp ?? "5m")
        .sign(key);
    const path = `/tenants/c_x001/positions/${positionId}/notice.pdf`;
    const tampered = token
      .split(".")
      .map((part, i) =>
        i === 1
          ? Buffer.from(
              JSON.stringify({
                ...JSON.parse(Buffer.from(part, "base64url").toString()),
                groups: ["/tenants/c_x002/systems"],
              }),
            ).toString("base64url")
          : part,
      )
      .join(".");
    for (const [name, bearer] of [
      ["missing", undefined],
      ["forged (another key)", await sign(claims)],
      ["tampered payload", tampered],
      ["not a JWT", "abc.def.ghi"],
    ] as const) {
      const res = await get(path, bearer);
      expect(res.status, name).toBe(401);
      expect(res.headers.get("www-authenticate"), name).toMatch(/^Bearer realm="pontepa", error="invalid_token"/);
    }
    // Expiry and audience are checked on a correctly signed token (a local key set stands in for the realm's).
    const { privateKey: realmKey, publicKey } = await generateKeyPair("RS256");
    const verify = createApiTokenVerifier({
      issuer: idp.issuer,
      audience: "pontepa-api",
      keys: createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: "forged", alg: "RS256" }] }),
    });
    await expect(verify(await sign(claims, realmKey))).resolves.toMatchObject({
      clientId: GESTIONALE.clientId,
      tenants: new Set(["c_x001"]),
    });
    await expect(verify(await sign(claims, realmKey, { exp: Math.floor(Date.now() / 1000) - 120 }))).rejects.toThrow(
      "token expired",
    );
    await expect(verify(await sign(claims, realmKey, { aud: "pontepa-backoffice" }))).rejects.toThrow(
      "token claim aud not accepted",
    );
    await expect(verify(await sign({ ...claims, typ: "ID" }, realmKey))).rejects.toThrow("not an access token");
  });

  it("refuses a client without the route's role", async () => {
    const { privateKey, publicKey } = await generateKeyPair("RS256");
    const verify = createApiTokenVerifier({
      issuer: idp.issuer,
      audience: "pontepa-api",
      keys: createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: "k", alg: "RS256" }] }),
    });
    // The verifier is injected through apiRoutes' parameter, on an app with only the API.
    const solo = express().use("/api/v1", apiRoutes(deps, verify)).use(problemHandler);
    const s = solo.listen(0, "127.0.0.1");
    await new Promise((resolve) => s.once("listening", resolve));
    try {
      const readOnlyReceipts = await new SignJWT({
        typ: "Bearer",
        azp: "x",
        groups: ["/tenants/c_x001/systems"],
        resource_access: { "pontepa-api": { roles: ["receipts.read"] } },
      })
        .setProtectedHeader({ alg: "RS256", kid: "k" })
        .setIssuer(idp.issuer)
        .setAudience("pontepa-api")
        .setIssuedAt()
        .setExpirationTime("5m")
        .sign(privateKey);
      const res = await fetch(
        `http://127.0.0.1:${(s.address() as AddressInfo).port}/api/v1/tenants/c_x001/positions/${positionId}/notice.pdf`,
        { headers: { authorization: `Bearer ${readOnlyReceipts}` } },
      );
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ status: 403, detail: "This client lacks the role positions.read" });
    } finally {
      await new Promise((resolve) => s.close(resolve));
    }
  });
});
