import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UNAUTHENTICATED_EXCERPT_CHARS } from "./station/station-exchange.ts";
import { makeStationTenant, singleNotice, type StationTenant } from "../test/harness/nodo/fixtures.ts";
import { eventually, expectOk } from "../test/harness/nodo/helpers.ts";
import { post, startStation, type Station } from "../test/harness/nodo/station-harness.ts";
import { verifyXml } from "../test/harness/nodo/soap-requests.ts";

// Issue 13 item 5: only a request whose caller passed the station's protections is journalled
// in full; anything else (refused, unparsable, unroutable) keeps a short excerpt.
describe("paForNode station: what the journal keeps of a request", () => {
  let station: Station;
  let ec: StationTenant;

  beforeAll(async () => {
    station = await startStation();
    ec = await makeStationTenant(station.deps.db);
    await station.deps.db.client.station.update({
      where: { code: ec.routing.idStation },
      data: { subscriptionKeyHash: createHash("sha256").update("k3y").digest("hex") },
    });
  });
  afterAll(() => station?.stop());

  const journalled = (requestId: string) =>
    eventually(async () => {
      const row = await station.deps.db.withPlatformScope("test: journal row", (tx) =>
        tx.nodoMessage.findFirst({ where: { requestId } }),
      );
      expect(row).not.toBeNull();
      return row!;
    });

  it("keeps the whole request of an authenticated caller and only an excerpt of anyone else's", async () => {
    const notice = await singleNotice(station.deps.db, ec.tenant);
    const padded = verifyXml(ec.routing, notice.nav).replace(
      "</soapenv:Body>",
      `${" ".repeat(100_000)}</soapenv:Body>`,
    );
    const id = `raw-${Date.now()}`;

    expectOk(await post(station.url, padded, { "ocp-apim-subscription-key": "k3y", "x-request-id": `${id}-ok` }));
    expect((await post(station.url, padded, { "x-request-id": `${id}-nokey` })).status).toBe(403);
    await post(station.url, `<not-soap>${"x".repeat(100_000)}</not-soap>`, { "x-request-id": `${id}-junk` });

    expect((await journalled(`${id}-ok`)).requestXml).toHaveLength(padded.length);
    const refused = await journalled(`${id}-nokey`);
    expect(refused.outcome).toBe("FAULT");
    expect(refused.requestXml).toHaveLength(UNAUTHENTICATED_EXCERPT_CHARS);
    expect(padded.startsWith(refused.requestXml!)).toBe(true);
    expect((await journalled(`${id}-junk`)).requestXml).toHaveLength(UNAUTHENTICATED_EXCERPT_CHARS);
  });
});
