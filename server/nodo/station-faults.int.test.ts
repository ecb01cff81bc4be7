import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { envelope, getPaymentXml, verifyXml } from "../test/harness/nodo/soap-requests.ts";
import { post, startStation, type Station } from "../test/harness/nodo/station-harness.ts";
import { makeStationTenant, singleNotice, type StationTenant } from "../test/harness/nodo/fixtures.ts";
import { checkCollectedAnswersAgainstXsd, expectFault, expectOk } from "../test/harness/nodo/helpers.ts";

// Every business fault the station answers, each produced by a real request.
describe("paForNode station: faults", () => {
  let station: Station;
  let ec: StationTenant;
  const past = () => new Date(Date.now() - 86_400_000);

  beforeAll(async () => {
    station = await startStation();
    ec = await makeStationTenant(station.deps.db);
  });
  afterAll(() => station?.stop());

  const faultOf = (reply: Awaited<ReturnType<typeof post>>) => reply.payload.fault as Record<string, string>;

  it("PAA_SINTASSI_XSD: a missing element, an unknown element, a bad value, a wrong namespace", async () => {
    const notice = await singleNotice(station.deps.db, ec.tenant);
    const valid = verifyXml(ec.routing, notice.nav);
    const noQr = valid.replace(/<qrCode>.*<\/qrCode>/, "");
    const extra = valid.replace("</qrCode>", "</qrCode><surprise>1</surprise>");
    const shortNav = valid.replace(notice.nav, notice.nav.slice(1));
    const otherNs = valid.replace(
      'xmlns:pafn="http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd"',
      'xmlns:pafn="http://pagopa-api.pagopa.gov.it/node/nodeForPsp.xsd"',
    );
    for (const xml of [noQr, extra, shortNav, otherNs]) {
      const reply = await post(station.url, xml);
      expectFault(reply, "PAA_SINTASSI_XSD");
      expect(reply.element).toBe("paVerifyPaymentNoticeRes");
    }
    expect(faultOf(await post(station.url, noQr)).description).toMatch(/qrCode/);
  });

  it("PAA_SINTASSI_EXTRAXSD: a notice number with wrong check digits", async () => {
    const notice = await singleNotice(station.deps.db, ec.tenant);
    const last = Number(notice.nav.at(-1));
    const wrong = notice.nav.slice(0, -1) + String((last + 1) % 10);
    expectFault(await post(station.url, verifyXml(ec.routing, wrong)), "PAA_SINTASSI_EXTRAXSD");
  });

  it("PAA_ID_INTERMEDIARIO_ERRATO / PAA_STAZIONE_INT_ERRATA / PAA_ID_DOMINIO_ERRATO from routing", async () => {
    const notice = await singleNotice(station.deps.db, ec.tenant);
    const other = await makeStationTenant(station.deps.db);
    const broker = await post(station.url, verifyXml({ ...ec.routing, idBrokerPA: "99999999999" }, notice.nav));
    expectFault(broker, "PAA_ID_INTERMEDIARIO_ERRATO");
    expect(faultOf(broker).id).toBe("99999999999");

    expectFault(
      await post(station.url, verifyXml({ ...ec.routing, idStation: `${ec.routing.idBrokerPA}_99` }, notice.nav)),
      "PAA_STAZIONE_INT_ERRATA",
    );
    // Another intermediary's station.
    expectFault(
      await post(station.url, verifyXml({ ...ec.routing, idStation: other.routing.idStation }, notice.nav)),
      "PAA_STAZIONE_INT_ERRATA",
    );

    const unknownPa = await post(
      station.url,
      verifyXml({ ...ec.routing, idPA: "12345678903" }, notice.nav, "12345678903"),
    );
    expectFault(unknownPa, "PAA_ID_DOMINIO_ERRATO");
    // The council is unknown: the fault is raised in the intermediary's name.
    expect(faultOf(unknownPa).id).toBe(ec.routing.idBrokerPA);
    // A council of another intermediary.
    expectFault(
      await post(station.url, verifyXml({ ...ec.routing, idPA: other.routing.idPA }, notice.nav, other.routing.idPA)),
      "PAA_ID_DOMINIO_ERRATO",
    );
  });

  it("PAA_ID_DOMINIO_ERRATO for a council not live, unless in TEST on a TEST station", async () => {
    const onboarding = await makeStationTenant(station.deps.db, { status: "ONBOARDING" });
    const n1 = await singleNotice(station.deps.db, onboarding.tenant);
    expectFault(await post(station.url, verifyXml(onboarding.routing, n1.nav)), "PAA_ID_DOMINIO_ERRATO");

    const testing = await makeStationTenant(station.deps.db, { status: "TEST" });
    const n2 = await singleNotice(station.deps.db, testing.tenant);
    expectFault(await post(station.url, verifyXml(testing.routing, n2.nav)), "PAA_ID_DOMINIO_ERRATO");
    await station.deps.db.client.station.update({
      where: { code: testing.routing.idStation },
      data: { environment: "TEST" },
    });
    expectOk(await post(station.url, verifyXml(testing.routing, n2.nav)));
  });

  it("PAA_PAGAMENTO_SCONOSCIUTO: unknown notice, draft, not yet valid, notice of another fiscal code", async () => {
    const unknown = (await singleNotice(station.deps.db, ec.tenant)).nav;
    await station.deps.db.withTenant(ec.tenant.id, (tx) => tx.paymentOption.deleteMany({ where: { nav: unknown } }));
    const reply = await post(station.url, verifyXml(ec.routing, unknown));
    expectFault(reply, "PAA_PAGAMENTO_SCONOSCIUTO");
    expect(faultOf(reply)).toMatchObject({
      id: ec.tenant.fiscalCode,
      faultString: expect.stringMatching(/sconosciuto/),
    });

    const draft = await singleNotice(station.deps.db, ec.tenant, 100, { publish: false });
    expectFault(await post(station.url, verifyXml(ec.routing, draft.nav)), "PAA_PAGAMENTO_SCONOSCIUTO");
    expectFault(await post(station.url, getPaymentXml(ec.routing, draft.nav)), "PAA_PAGAMENTO_SCONOSCIUTO");

    const future = await singleNotice(station.deps.db, ec.tenant, 100, {
      validFrom: new Date(Date.now() + 86_400_000),
    });
    expectFault(await post(station.url, verifyXml(ec.routing, future.nav)), "PAA_PAGAMENTO_SCONOSCIUTO");

    const own = await singleNotice(station.deps.db, ec.tenant);
    expectFault(await post(station.url, verifyXml(ec.routing, own.nav, "12345678903")), "PAA_PAGAMENTO_SCONOSCIUTO");
  });

  it("PAA_PAGAMENTO_SCADUTO and PAA_PAGAMENTO_ANNULLATO", async () => {
    const expired = await singleNotice(station.deps.db, ec.tenant, 100, {});
    await station.deps.db.withTenant(ec.tenant.id, (tx) =>
      tx.paymentOption.update({ where: { id: expired.id }, data: { expiresAt: past() } }),
    );
    expectFault(await post(station.url, verifyXml(ec.routing, expired.nav)), "PAA_PAGAMENTO_SCADUTO");
    expectFault(await post(station.url, getPaymentXml(ec.routing, expired.nav)), "PAA_PAGAMENTO_SCADUTO");

    const cancelled = await singleNotice(station.deps.db, ec.tenant);
    await station.deps.db.withTenant(ec.tenant.id, (tx) =>
      tx.debtPosition.updateMany({
        where: { options: { some: { id: cancelled.id } } },
        data: { status: "CANCELLED", cancelledAt: new Date() },
      }),
    );
    expectFault(await post(station.url, verifyXml(ec.routing, cancelled.nav)), "PAA_PAGAMENTO_ANNULLATO");
  });

  it("PAA_PAGAMENTO_IN_CORSO under another activation's live lock; the same token is answered again", async () => {
    const notice = await singleNotice(station.deps.db, ec.tenant, 4_200);
    const first = await post(station.url, getPaymentXml(ec.routing, notice.nav, { token: "TOKEN-A" }));
    expectOk(first);
    const lock = () =>
      station.deps.db.withTenant(ec.tenant.id, (tx) =>
        tx.paymentOption.findUniqueOrThrow({ where: { id: notice.id } }),
      );
    const locked = await lock();
    expect(locked.paymentToken).toBe("TOKEN-A");
    expect(locked.lockedUntil!.getTime() - Date.now()).toBeGreaterThan(29 * 60_000);
    expect(locked.lockedUntil!.getTime() - Date.now()).toBeLessThanOrEqual(30 * 60_000);

    expectFault(
      await post(station.url, getPaymentXml(ec.routing, notice.nav, { token: "TOKEN-B" })),
      "PAA_PAGAMENTO_IN_CORSO",
    );
    expectFault(await post(station.url, getPaymentXml(ec.routing, notice.nav)), "PAA_PAGAMENTO_IN_CORSO");
    expectFault(await post(station.url, verifyXml(ec.routing, notice.nav)), "PAA_PAGAMENTO_IN_CORSO");

    const again = await post(station.url, getPaymentXml(ec.routing, notice.nav, { token: "TOKEN-A" }));
    expectOk(again);
    expect(again.payload.data).toEqual(first.payload.data);
    expect((await lock()).lockedUntil).toEqual(locked.lockedUntil);

    // Once the 30 minutes are over, another activation may take the notice.
    await station.deps.db.withTenant(ec.tenant.id, (tx) =>
      tx.paymentOption.update({ where: { id: notice.id }, data: { lockedUntil: past() } }),
    );
    expectOk(await post(station.url, getPaymentXml(ec.routing, notice.nav, { token: "TOKEN-B" })));
    expect((await lock()).paymentToken).toBe("TOKEN-B");
  });

  it("PAA_SYSTEM_ERROR for a misconfigured payment type, without internal details", async () => {
    const type = await station.deps.db.withTenant(ec.tenant.id, (tx) =>
      tx.paymentType.create({
        data: {
          tenantId: ec.tenant.id,
          code: "BROKEN",
          name: "Rotto",
          taxonomyCode: "9/0101101IM/",
          amountRule: { kind: "plugin", plugin: "no-such-plugin", params: {} },
        },
      }),
    );
    const notice = await singleNotice(station.deps.db, ec.tenant, 100, { paymentTypeCode: type.code });
    const reply = await post(station.url, verifyXml(ec.routing, notice.nav));
    expectFault(reply, "PAA_SYSTEM_ERROR");
    expect(faultOf(reply).description).not.toMatch(/no-such-plugin/);
  });

  it("counts answers by operation and outcome in pontepa_nodo_answers_total", async () => {
    const metrics = await station.deps.metrics.registry.getSingleMetricAsString("pontepa_nodo_answers_total");
    expect(metrics).toMatch(/operation="paVerifyPaymentNotice",outcome="PAA_PAGAMENTO_SCONOSCIUTO"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/operation="paGetPaymentV2",outcome="OK"[^}]*\} [1-9]/);
  });

  it("answers a request to an unknown operation element with a SOAP Fault", async () => {
    const reply = await post(station.url, envelope(`<pafn:paDoSomethingReq/>`));
    expect(reply.status).toBe(500);
    expect(reply.body).toContain("<faultcode>soapenv:Client</faultcode>");
  });

  checkCollectedAnswersAgainstXsd(20);
});
