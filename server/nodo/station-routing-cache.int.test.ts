import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyXml } from "../test/harness/nodo/soap-requests.ts";
import { post, startStation, type Station } from "../test/harness/nodo/station-harness.ts";
import { makeStationTenant, singleNotice, type StationTenant } from "../test/harness/nodo/fixtures.ts";
import { expectFault, expectOk } from "../test/harness/nodo/helpers.ts";

// The station remembers routing for SOAP_ROUTING_CACHE_MS: changes apply within that time,
// and the protections are still checked against every request.
describe("paForNode station: routing cache", () => {
  const ttlMs = 2_000;
  let station: Station;
  let ec: StationTenant;

  beforeAll(async () => {
    station = await startStation({ SOAP_ROUTING_CACHE_MS: String(ttlMs) });
    ec = await makeStationTenant(station.deps.db);
  });
  afterAll(() => station?.stop());

  it("applies a suspended council and a new subscription key within the TTL, never later", async () => {
    const notice = await singleNotice(station.deps.db, ec.tenant);
    expectOk(await post(station.url, verifyXml(ec.routing, notice.nav)));

    const changedAt = Date.now();
    await station.deps.db.client.tenant.update({ where: { id: ec.tenant.id }, data: { status: "SUSPENDED" } });
    const keyHash = createHash("sha256").update("k3y").digest("hex");
    await station.deps.db.client.station.update({
      where: { code: ec.routing.idStation },
      data: { subscriptionKeyHash: keyHash },
    });
    try {
      // Within the TTL the remembered row still routes, but the caller is still checked per
      // request against it (here: no key was configured then, so none is asked for).
      const stale = await post(station.url, verifyXml(ec.routing, notice.nav));
      expect(Date.now() - changedAt).toBeLessThan(ttlMs); // else this machine is too slow for the test
      expectOk(stale);

      await new Promise((r) => setTimeout(r, ttlMs + 50));
      const denied = await post(station.url, verifyXml(ec.routing, notice.nav));
      expect(denied.status).toBe(403);
      expectFault(
        await post(station.url, verifyXml(ec.routing, notice.nav), { "ocp-apim-subscription-key": "k3y" }),
        "PAA_ID_DOMINIO_ERRATO",
      );
    } finally {
      await station.deps.db.client.station.update({
        where: { code: ec.routing.idStation },
        data: { subscriptionKeyHash: null },
      });
      await station.deps.db.client.tenant.update({ where: { id: ec.tenant.id }, data: { status: "LIVE" } });
    }
    await new Promise((r) => setTimeout(r, ttlMs + 50));
    expectOk(await post(station.url, verifyXml(ec.routing, notice.nav)));
  });
});
