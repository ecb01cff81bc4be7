import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { searchJournal } from "./journal/index.ts";
import { cieServiceData, demandXml, getPaymentXml, sendRTXml, verifyXml } from "../test/harness/nodo/soap-requests.ts";
import { post, startStation, type Station } from "../test/harness/nodo/station-harness.ts";
import { fakeOrgFiscalCode } from "../test/factories.ts";
import {
  businessRowCounts,
  IBAN,
  makeStationTenant,
  POSTAL_IBAN,
  singleNotice,
  type StationTenant,
} from "../test/harness/nodo/fixtures.ts";
import {
  checkCollectedAnswersAgainstXsd,
  eventually,
  expectFault,
  expectOk,
  optionOf,
} from "../test/harness/nodo/helpers.ts";

describe("paForNode station: tenant isolation, demand, station protections, journal search", () => {
  let station: Station;
  let a: StationTenant;
  let b: StationTenant;

  beforeAll(async () => {
    // Loopback is the TLS-terminating proxy here: the certificate header is believed only from one.
    station = await startStation({ TRUST_PROXY: "loopback" });
    a = await makeStationTenant(station.deps.db);
    // B shares A's intermediary and station, as councils of one Region do.
    const tenantB = await station.deps.db.client.tenant.create({
      data: {
        intermediaryId: a.tenant.intermediaryId,
        stationId: a.tenant.stationId,
        fiscalCode: fakeOrgFiscalCode(),
        ipaCode: `c_b${Date.now()}`,
        name: "Comune B",
        segregationCode: a.tenant.segregationCode === "48" ? "46" : "48",
        status: "LIVE",
      },
    });
    b = { tenant: tenantB, routing: { ...a.routing, idPA: tenantB.fiscalCode } };
  });
  afterAll(() => station?.stop());

  it("never answers with A's notice to a request in B's name", async () => {
    const notice = await singleNotice(station.deps.db, a.tenant, 7_777);
    for (const fiscalCode of [a.routing.idPA, b.routing.idPA]) {
      const verify = await post(station.url, verifyXml(b.routing, notice.nav, fiscalCode));
      expectFault(verify, "PAA_PAGAMENTO_SCONOSCIUTO");
      expect(verify.body).not.toContain("77.77");
      expectFault(
        await post(station.url, getPaymentXml(b.routing, notice.nav, { fiscalCode })),
        "PAA_PAGAMENTO_SCONOSCIUTO",
      );
    }
    const lock = await station.deps.db.withTenant(a.tenant.id, (tx) =>
      tx.paymentOption.findUniqueOrThrow({ where: { id: notice.id } }),
    );
    expect(lock.paymentToken).toBeNull();
    expectOk(await post(station.url, verifyXml(a.routing, notice.nav)));
  });

  it("stores a receipt sent to B as a secondary beneficiary of A's notice without touching A's data", async () => {
    const notice = await singleNotice(station.deps.db, a.tenant, 1_000);
    const fields = {
      receiptId: "SECONDARY-1",
      nav: notice.nav,
      fiscalCode: a.routing.idPA,
      iuv: notice.iuv,
      amount: "10.00",
      transfers: [
        {
          idTransfer: 1,
          amount: "10.00",
          fiscalCodePA: b.routing.idPA,
          iban: IBAN,
          remittance: "quota B",
          category: "9/0101101IM/",
        },
      ],
    };
    expectOk(await post(station.url, sendRTXml(b.routing, fields)));
    const copy = await station.deps.db.withTenant(b.tenant.id, (tx) =>
      tx.receipt.findFirstOrThrow({ where: { receiptId: "SECONDARY-1" } }),
    );
    expect(copy.optionId).toBeNull();
    const optionA = await station.deps.db.withTenant(a.tenant.id, (tx) =>
      tx.paymentOption.findUniqueOrThrow({ where: { id: notice.id } }),
    );
    expect(optionA.status).toBe("UNPAID");
  });

  it("paDemandPaymentNotice creates a position on the fly for a CIE and answers its notice", async () => {
    await station.deps.db.withTenant(b.tenant.id, async (tx) => {
      await tx.creditorAccount.create({
        data: {
          tenantId: b.tenant.id,
          iban: POSTAL_IBAN,
          isPostal: true,
          holder: "Comune B",
          effectiveFrom: new Date("2025-01-01"),
        },
      });
      await tx.paymentType.create({
        data: {
          tenantId: b.tenant.id,
          code: "CIE",
          name: "Carta d'identità elettronica",
          taxonomyCode: "9/0101100TS/",
          availableAtPsp: true,
          defaultTransfers: [{ accountIban: POSTAL_IBAN, shareBasisPoints: 10_000 }],
          amountRule: {
            kind: "choice",
            field: "codiceCausale",
            choices: [
              { value: "9", label: "Prima emissione", amountCents: 2_221 },
              { value: "1", label: "Smarrimento", amountCents: 2_737 },
            ],
          },
        },
      });
    });
    const before = await businessRowCounts(station.deps.db);
    const reply = await post(station.url, demandXml(b.routing, "00001", cieServiceData(b.routing.idPA, "1")));
    expectOk(reply);
    const qr = reply.payload.qrCode as { fiscalCode: string; noticeNumber: string };
    expect(qr.fiscalCode).toBe(b.routing.idPA);
    expect(qr.noticeNumber).toMatch(new RegExp(`^3${b.tenant.segregationCode}\\d{15}$`));
    expect(optionOf(reply)).toMatchObject({ amount: "27.37", options: "EQ", allCCP: "true" });
    expect(reply.payload).toMatchObject({
      fiscalCodePA: b.routing.idPA,
      companyName: "Comune B",
      paymentDescription: expect.stringMatching(/^Carta d'identità elettronica - smarrimento/),
    });
    expect((await businessRowCounts(station.deps.db)).positions).toBe(before.positions + 1);
    const position = await station.deps.db.withTenant(b.tenant.id, (tx) =>
      tx.debtPosition.findFirstOrThrow({ where: { options: { some: { nav: qr.noticeNumber } } } }),
    );
    expect(position).toMatchObject({
      origin: "PSP",
      status: "VALID",
      debtorFiscalCode: "RSSMRA80A01H501U",
      debtorName: "Mario Rossi",
    });
    // The new notice is paid like any other.
    expectOk(await post(station.url, verifyXml(b.routing, qr.noticeNumber)));
  });

  it("refuses a demand for an unknown service, bad service data or a service the council does not offer", async () => {
    const before = await businessRowCounts(station.deps.db);
    expectFault(
      await post(station.url, demandXml(b.routing, "99999", cieServiceData(b.routing.idPA))),
      "PAA_SEMANTICA",
    );
    expectFault(await post(station.url, demandXml(b.routing, "00001", "<not-cie/>")), "PAA_SINTASSI_EXTRAXSD");
    expectFault(
      await post(
        station.url,
        demandXml(b.routing, "00001", `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>`),
      ),
      "PAA_SINTASSI_EXTRAXSD",
    );
    expectFault(
      await post(station.url, demandXml(b.routing, "00001", cieServiceData(a.routing.idPA))),
      "PAA_SINTASSI_EXTRAXSD",
    );
    expectFault(
      await post(station.url, demandXml(a.routing, "00001", cieServiceData(a.routing.idPA))),
      "PAA_SEMANTICA",
    );
    expect(await businessRowCounts(station.deps.db)).toEqual(before);
  });

  it("applies the station's protections: subscription key, client certificate, source address", async () => {
    const notice = await singleNotice(station.deps.db, a.tenant);
    const code = a.routing.idStation;
    const set = (data: object) => station.deps.db.client.station.update({ where: { code }, data });
    try {
      await set({ subscriptionKeyHash: createHash("sha256").update("k3y").digest("hex") });
      const denied = await post(station.url, verifyXml(a.routing, notice.nav));
      expect(denied.status).toBe(403);
      expect(denied.body).not.toContain("PAA_");
      expectOk(await post(station.url, verifyXml(a.routing, notice.nav), { "ocp-apim-subscription-key": "k3y" }));

      await set({ subscriptionKeyHash: null, clientCertFingerprint: "AA:BB:CC" });
      expect((await post(station.url, verifyXml(a.routing, notice.nav))).status).toBe(403);
      expectOk(await post(station.url, verifyXml(a.routing, notice.nav), { "x-client-cert-fingerprint": "aabbcc" }));

      await set({ clientCertFingerprint: null, allowedSources: ["10.0.0.0/8"] });
      expect((await post(station.url, verifyXml(a.routing, notice.nav))).status).toBe(403);
      await set({ allowedSources: ["10.0.0.0/8", "127.0.0.1"] });
      expectOk(await post(station.url, verifyXml(a.routing, notice.nav)));
    } finally {
      await set({ subscriptionKeyHash: null, clientCertFingerprint: null, allowedSources: [] });
    }
  });

  it("finds journal entries by NAV, IUV and receiptId, per tenant or across tenants", async () => {
    // B's segregation code (48) is used by no other test tenant, so its NAVs are unique in the
    // shared test database (NAVs are unique per council, not across councils).
    const notice = await singleNotice(station.deps.db, b.tenant, 500);
    expectOk(await post(station.url, verifyXml(b.routing, notice.nav)));
    expectFault(
      await post(station.url, verifyXml({ ...b.routing, idBrokerPA: "99999999999" }, notice.nav)),
      "PAA_ID_INTERMEDIARIO_ERRATO",
    );
    expectOk(
      await post(
        station.url,
        sendRTXml(b.routing, {
          receiptId: "JOURNAL-1",
          nav: notice.nav,
          fiscalCode: b.routing.idPA,
          iuv: notice.iuv,
          amount: "5.00",
          transfers: [
            {
              idTransfer: 1,
              amount: "5.00",
              fiscalCodePA: b.routing.idPA,
              iban: IBAN,
              remittance: "r",
              category: "9/0101101IM/",
            },
          ],
        }),
      ),
    );
    const all = await eventually(async () => {
      const rows = await searchJournal(station.deps.db, { nav: notice.nav });
      expect(rows).toHaveLength(3);
      return rows;
    });
    // The unrouted request is kept with no tenant: only the platform-wide search sees it.
    expect(all.filter((r) => r.tenantId === null).map((r) => r.faultCode)).toEqual(["PAA_ID_INTERMEDIARIO_ERRATO"]);
    expect(await searchJournal(station.deps.db, { nav: notice.nav, tenantId: b.tenant.id })).toHaveLength(2);
    expect(await searchJournal(station.deps.db, { nav: notice.nav, tenantId: a.tenant.id })).toHaveLength(0);
    expect((await searchJournal(station.deps.db, { iuv: notice.iuv })).map((r) => r.operation)).toContain("paSendRTV2");
    expect((await searchJournal(station.deps.db, { receiptId: "JOURNAL-1" }))[0]).toMatchObject({
      operation: "paSendRTV2",
      outcome: "OK",
      tenantId: b.tenant.id,
    });
    await expect(searchJournal(station.deps.db, { nav: notice.nav, iuv: notice.iuv })).rejects.toThrow();
  });

  checkCollectedAnswersAgainstXsd(15);
});
