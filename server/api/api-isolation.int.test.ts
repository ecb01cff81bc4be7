import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import express from "express";
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Deps } from "../platform/deps.ts";
import { problemHandler } from "../platform/http/problem.ts";
import { listRoutes } from "../platform/http/list-routes.ts";
import { createPosition } from "../positions/create-position.ts";
import { registerReceipt } from "../positions/register-receipt.ts";
import { makeTenant } from "../test/factories.ts";
import { testDeps } from "../test/support.ts";
import type { Tenant } from "../generated/prisma/client.ts";
import { apiRoutes } from "./api.routes.ts";
import { createApiTokenVerifier } from "./api-token.ts";

const ISSUER = "http://realm.test/realms/pontepa";
const actor = { type: "staff" as const, id: "isolation" };

/**
 * The API's isolation matrix: every route, enumerated from the router, asked by a council system
 * of tenant A for tenant B's objects, both through B's code (403) and through A's code with B's
 * ids (404). A route with a parameter this test has no value for fails the suite: add its case.
 */
describe("API isolation matrix (routes enumerated from the router)", () => {
  let deps: Deps;
  let server: Server;
  let base: string;
  let a: Tenant;
  let b: Tenant;
  let token: string;
  /** Objects of tenant B, by the route parameter that names them. */
  const ofB: Record<string, string> = {};
  /** The same kind of object of tenant A, to show the route works when the tenant is right. */
  const ofA: Record<string, string> = {};
  let router: express.Router;

  async function paidAndOpen(t: Tenant, into: Record<string, string>) {
    const input = (subject: string) => ({
      debtor: { fiscalCode: "RSSMRA80A01H501U", name: "Mario Rossi" },
      subject,
      single: {
        amountCents: 1_000,
        dueDate: new Date("2027-03-31T10:00:00Z"),
        transfers: [
          {
            iban: "IT60X0542811101000000123456",
            amountCents: 1_000,
            taxonomyCode: "9/0101002IM/",
            remittanceText: subject,
          },
        ],
      },
    });
    into.positionId = (await createPosition(deps.db, t, input("Aperta"), actor)).id;
    const paid = (await createPosition(deps.db, t, input("Pagata"), actor)).options[0]!;
    into.receiptId = `rcpt-iso-${t.ipaCode}`;
    await registerReceipt(
      deps.db,
      t,
      {
        receiptId: into.receiptId,
        nav: paid.nav,
        noticeFiscalCode: t.fiscalCode,
        outcome: "OK",
        creditorReferenceId: paid.iuv,
        amountCents: 1_000,
        pspId: "PSPTEST",
        standIn: false,
        transfers: [
          {
            index: 1,
            amountCents: 1_000,
            fiscalCodePA: t.fiscalCode,
            iban: "IT60X0542811101000000123456",
            remittanceText: "Pagata",
            category: "9/0101002IM/",
          },
        ],
      },
      async () => undefined,
    );
  }

  beforeAll(async () => {
    deps = testDeps();
    a = await makeTenant(deps.db, { name: "Comune A" });
    b = await makeTenant(deps.db, { name: "Comune B" });
    await paidAndOpen(a, ofA);
    await paidAndOpen(b, ofB);
    const { privateKey, publicKey } = await generateKeyPair("RS256");
    const keys = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: "k", alg: "RS256" }] });
    router = apiRoutes(deps, createApiTokenVerifier({ issuer: ISSUER, audience: "pontepa-api", keys }));
    // A council system of A holding every API role: only the tenant boundary may stop it.
    token = await new SignJWT({
      typ: "Bearer",
      azp: "gestionale-a",
      groups: [`/tenants/${a.ipaCode}/systems`],
      resource_access: { "pontepa-api": { roles: ["positions.read", "positions.write", "receipts.read"] } },
    })
      .setProtectedHeader({ alg: "RS256", kid: "k" })
      .setIssuer(ISSUER)
      .setAudience("pontepa-api")
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(privateKey);
    server = express().use("/api/v1", router).use(problemHandler).listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await deps.close();
  });

  const call = (method: string, path: string) =>
    fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${token}` } });
  const fill = (path: string, ipa: string, values: Record<string, string>) =>
    path.replace(/:(\w+)/g, (_m, name: string) => {
      if (name === "ipa") return ipa;
      const value = values[name];
      if (!value) throw new Error(`No isolation case for the route parameter :${name} (${path}): add one to this test`);
      return encodeURIComponent(value);
    });

  it("covers every route of the router", () => {
    const routes = listRoutes(router);
    expect(routes.length).toBeGreaterThanOrEqual(2);
    for (const route of routes) expect(route.params[0], route.path).toBe("ipa"); // every route is under a tenant
  });

  it("serves tenant A its own objects (the matrix below is not vacuous)", async () => {
    for (const route of listRoutes(router)) {
      const res = await call(route.method, fill(route.path, a.ipaCode, ofA));
      expect(res.status, `${route.method} ${route.path}`).toBe(200);
    }
  });

  it("refuses tenant B's code with 403 and B's ids under A's code with 404, with no data", async () => {
    for (const route of listRoutes(router)) {
      const byCode = await call(route.method, fill(route.path, b.ipaCode, ofB));
      expect(byCode.status, `${route.method} ${route.path} with B's code`).toBe(403);
      expect(byCode.headers.get("content-type")).toContain("application/problem+json");
      const byId = await call(route.method, fill(route.path, a.ipaCode, ofB));
      expect(byId.status, `${route.method} ${route.path} with B's ids`).toBe(404);
      expect(byId.headers.get("content-type")).toContain("application/problem+json");
    }
  });
});
