import { createHash } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../config/env.ts";
import type { Deps } from "../platform/deps.ts";
import { closeServer, listen } from "../roles/listen.ts";
import { startRole } from "../roles/roles.ts";
import { PRODUCTION_TEST_ENV, testDeps } from "../test/support.ts";
import { makeStationTenant, singleNotice, type StationTenant } from "../test/harness/nodo/fixtures.ts";
import { expectOk } from "../test/harness/nodo/helpers.ts";
import { post } from "../test/harness/nodo/station-harness.ts";
import { verifyXml } from "../test/harness/nodo/soap-requests.ts";
import { createSoapApp, type SoapApp } from "./soap-app.ts";

// Issue 13 item 4: the station's protections fail closed in production, and the certificate
// header counts only when a trusted proxy sent the request.
describe("paForNode station: caller authentication", () => {
  const served: Array<{ deps: Deps; soap: SoapApp; server: Server }> = [];
  let ec: StationTenant;
  const keyHash = createHash("sha256").update("k3y").digest("hex");

  // The soap app without the role's boot check (the shared test database holds other tests'
  // open PROD stations, which would stop the role itself).
  const serve = async (env: Record<string, string>) => {
    const deps = testDeps({ SOAP_ROUTING_CACHE_MS: "0", ...env });
    const soap = createSoapApp(deps, async () => {});
    const server = await listen(soap.handler, "127.0.0.1", 0);
    served.push({ deps, soap, server });
    return { deps, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/nodo/paForNode` };
  };
  const setStation = (deps: Deps, data: object) =>
    deps.db.client.station.update({ where: { code: ec.routing.idStation }, data });

  beforeAll(async () => {
    const deps = testDeps();
    try {
      ec = await makeStationTenant(deps.db);
    } finally {
      await deps.close();
    }
  });
  afterAll(async () => {
    for (const s of served) {
      await closeServer(s.server);
      await s.soap.close();
      await s.deps.close();
    }
  });

  it("in production refuses every call to a station with no certificate and no key, source addresses or not", async () => {
    const { deps, url } = await serve(PRODUCTION_TEST_ENV);
    const notice = await singleNotice(deps.db, ec.tenant);
    await setStation(deps, { subscriptionKeyHash: null, clientCertFingerprint: null, allowedSources: ["127.0.0.1"] });
    const refused = await post(url, verifyXml(ec.routing, notice.nav));
    expect(refused.status).toBe(403);
    expect(refused.body).not.toContain("PAA_");
    await setStation(deps, { subscriptionKeyHash: keyHash });
    expectOk(await post(url, verifyXml(ec.routing, notice.nav), { "ocp-apim-subscription-key": "k3y" }));
    await setStation(deps, { subscriptionKeyHash: null, allowedSources: [] });
  });

  it("refuses to start the soap role in production while a PROD station authenticates no caller, naming it", async () => {
    const deps = testDeps({ ...PRODUCTION_TEST_ENV, SOAP_ROUTING_CACHE_MS: "0" });
    try {
      await setStation(deps, {
        environment: "PROD",
        enabled: true,
        subscriptionKeyHash: null,
        clientCertFingerprint: null,
        allowedSources: ["10.0.0.0/8"],
      });
      const error = await startRole("soap", deps).then(
        () => null,
        (err: unknown) => err,
      );
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toContain(`station ${ec.routing.idStation}:`);
      // Once it has a key, it is no longer named (other tests' stations may still be).
      await setStation(deps, { subscriptionKeyHash: keyHash });
      const after = await startRole("soap", deps).then(
        async (role) => (await role.stop(), null),
        (err: unknown) => err,
      );
      expect(String((after as Error | null)?.message ?? "")).not.toContain(`station ${ec.routing.idStation}:`);
    } finally {
      await setStation(deps, { subscriptionKeyHash: null, allowedSources: [] });
      await deps.close();
    }
  });

  it("believes the certificate header only from a trusted proxy", async () => {
    const direct = await serve({});
    const proxied = await serve({ TRUST_PROXY: "loopback" });
    const notice = await singleNotice(direct.deps.db, ec.tenant);
    await setStation(direct.deps, { clientCertFingerprint: "AA:BB:CC" });
    try {
      expect(
        (await post(direct.url, verifyXml(ec.routing, notice.nav), { "x-client-cert-fingerprint": "aabbcc" })).status,
      ).toBe(403);
      expectOk(await post(proxied.url, verifyXml(ec.routing, notice.nav), { "x-client-cert-fingerprint": "aabbcc" }));
      expect(
        (await post(proxied.url, verifyXml(ec.routing, notice.nav), { "x-client-cert-fingerprint": "aabbcd" })).status,
      ).toBe(403);
    } finally {
      await setStation(direct.deps, { clientCertFingerprint: null });
    }
  });

  it("matches source addresses against the right-most untrusted X-Forwarded-For entry", async () => {
    const proxied = await serve({ TRUST_PROXY: "loopback" });
    const notice = await singleNotice(proxied.deps.db, ec.tenant);
    await setStation(proxied.deps, { allowedSources: ["203.0.113.7"] });
    try {
      // A client writing the allowed address itself: the proxy appends the real one after it.
      expect(
        (await post(proxied.url, verifyXml(ec.routing, notice.nav), { "x-forwarded-for": "203.0.113.7, 198.51.100.9" }))
          .status,
      ).toBe(403);
      expectOk(
        await post(proxied.url, verifyXml(ec.routing, notice.nav), { "x-forwarded-for": "198.51.100.9, 203.0.113.7" }),
      );
    } finally {
      await setStation(proxied.deps, { allowedSources: [] });
    }
  });
});
