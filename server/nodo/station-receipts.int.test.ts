import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPaymentXml, sendRTXml, verifyXml, type ReceiptFields } from "../test/harness/nodo/soap-requests.ts";
import { post, startStation, type Station } from "../test/harness/nodo/station-harness.ts";
import {
  businessRowCounts,
  IBAN,
  makeStationTenant,
  singleNotice,
  type StationTenant,
} from "../test/harness/nodo/fixtures.ts";
import {
  checkCollectedAnswersAgainstXsd,
  dataOf,
  expectFault,
  expectOk,
  optionOf,
  transfersOf,
} from "../test/harness/nodo/helpers.ts";

describe("paForNode station: receipts, concurrency, deadlines and amount rules", () => {
  let station: Station;
  let ec: StationTenant;

  beforeAll(async () => {
    station = await startStation();
    ec = await makeStationTenant(station.deps.db);
  });
  afterAll(() => station?.stop());

  const receiptFor = (
    notice: { nav: string; iuv: string },
    receiptId: string,
    cents = "123.45",
    over: Partial<ReceiptFields> = {},
  ): ReceiptFields => ({
    receiptId,
    nav: notice.nav,
    fiscalCode: ec.routing.idPA,
    iuv: notice.iuv,
    amount: cents,
    transfers: [
      {
        idTransfer: 1,
        amount: cents,
        fiscalCodePA: ec.routing.idPA,
        iban: IBAN,
        remittance: "Pagamento di prova",
        category: "9/0101101IM/",
      },
    ],
    ...over,
  });
  const option = (id: string) =>
    station.deps.db.withTenant(ec.tenant.id, (tx) =>
      tx.paymentOption.findUniqueOrThrow({ where: { id }, include: { position: true } }),
    );
  const receipts = (receiptId: string) =>
    station.deps.db.withTenant(ec.tenant.id, (tx) => tx.receipt.count({ where: { receiptId } }));

  it("50 parallel activations of one notice with different tokens: exactly one lock, 49 PAA_PAGAMENTO_IN_CORSO", async () => {
    const notice = await singleNotice(station.deps.db, ec.tenant);
    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        post(station.url, getPaymentXml(ec.routing, notice.nav, { token: `PAR-${i}` })),
      ),
    );
    const ok = replies.filter((r) => r.outcome === "OK");
    expect(ok).toHaveLength(1);
    expect(replies.filter((r) => r.faultCode === "PAA_PAGAMENTO_IN_CORSO")).toHaveLength(49);
    const winner = replies.findIndex((r) => r.outcome === "OK");
    expect((await option(notice.id)).paymentToken).toBe(`PAR-${winner}`);
  });

  it("20 concurrent duplicate receipts: one receipt stored, one paid state, the rest PAA_RECEIPT_DUPLICATA", async () => {
    const notice = await singleNotice(station.deps.db, ec.tenant);
    expectOk(await post(station.url, getPaymentXml(ec.routing, notice.nav, { token: "DUP-RT" })));
    const xml = sendRTXml(ec.routing, receiptFor(notice, "DUP-RT"));
    const replies = await Promise.all(Array.from({ length: 20 }, () => post(station.url, xml)));
    expect(replies.filter((r) => r.outcome === "OK")).toHaveLength(1);
    expect(replies.filter((r) => r.faultCode === "PAA_RECEIPT_DUPLICATA")).toHaveLength(19);
    expect(await receipts("DUP-RT")).toBe(1);
    const paid = await option(notice.id);
    expect(paid.status).toBe("PAID");
    expect(paid.position.status).toBe("PAID");
    const audit = await station.deps.db.withTenant(ec.tenant.id, (tx) =>
      tx.auditLog.count({ where: { action: "receipt.register", after: { path: ["receiptId"], equals: "DUP-RT" } } }),
    );
    expect(audit).toBe(1);
    // A late redelivery is answered the same way.
    expectFault(await post(station.url, xml), "PAA_RECEIPT_DUPLICATA");
  });

  it("accepts a Stand-In receipt for an option without lock and already expired: the money was taken", async () => {
    const notice = await singleNotice(station.deps.db, ec.tenant);
    await station.deps.db.withTenant(ec.tenant.id, (tx) =>
      tx.paymentOption.update({
        where: { id: notice.id },
        data: { status: "EXPIRED", expiresAt: new Date(Date.now() - 3_600_000) },
      }),
    );
    expectFault(await post(station.url, verifyXml(ec.routing, notice.nav)), "PAA_PAGAMENTO_SCADUTO");
    expectOk(
      await post(station.url, sendRTXml(ec.routing, receiptFor(notice, "STANDIN-1", "123.45", { standIn: true }))),
    );
    const paid = await option(notice.id);
    expect(paid.status).toBe("PAID");
    const stored = await station.deps.db.withTenant(ec.tenant.id, (tx) =>
      tx.receipt.findFirstOrThrow({ where: { receiptId: "STANDIN-1" } }),
    );
    expect(stored.standIn).toBe(true);
  });

  it("answers PAA_PAGAMENTO_SCONOSCIUTO for a receipt of a notice the council does not have, storing nothing", async () => {
    const notice = await singleNotice(station.deps.db, ec.tenant);
    await station.deps.db.withTenant(ec.tenant.id, (tx) => tx.paymentOption.deleteMany({ where: { id: notice.id } }));
    const before = await businessRowCounts(station.deps.db);
    expectFault(
      await post(station.url, sendRTXml(ec.routing, receiptFor(notice, "GHOST-1"))),
      "PAA_PAGAMENTO_SCONOSCIUTO",
    );
    expect(await businessRowCounts(station.deps.db)).toEqual(before);
  });

  it("keeps a second receipt for a paid notice (a double payment to refund) without changing the paid state", async () => {
    const notice = await singleNotice(station.deps.db, ec.tenant);
    expectOk(await post(station.url, sendRTXml(ec.routing, receiptFor(notice, "FIRST-PAY"))));
    const paidAt = (await option(notice.id)).paidAt;
    expectOk(await post(station.url, sendRTXml(ec.routing, receiptFor(notice, "SECOND-PAY"))));
    expect(await receipts("SECOND-PAY")).toBe(1);
    expect((await option(notice.id)).paidAt).toEqual(paidAt);
  });

  it("a negative receipt is stored, releases its own lock and leaves the notice payable", async () => {
    const notice = await singleNotice(station.deps.db, ec.tenant);
    expectOk(await post(station.url, getPaymentXml(ec.routing, notice.nav, { token: "KO-TOKEN" })));
    expectOk(
      await post(station.url, sendRTXml(ec.routing, receiptFor(notice, "KO-TOKEN", "123.45", { outcome: "KO" }))),
    );
    const after = await option(notice.id);
    expect(after).toMatchObject({ status: "UNPAID", paymentToken: null, lockedUntil: null });
    expectOk(await post(station.url, verifyXml(ec.routing, notice.nav)));
  });

  it("applies the traffic-fine plug-in: 30% off within 5 days of notification, transfers rescaled", async () => {
    await station.deps.db.withTenant(ec.tenant.id, (tx) =>
      tx.paymentType.create({
        data: {
          tenantId: ec.tenant.id,
          code: "CDS",
          name: "Sanzioni codice della strada",
          taxonomyCode: "9/0102106SA/",
          amountRule: {
            kind: "plugin",
            plugin: "traffic-fine-early-discount",
            params: { discountPercent: 30, withinDays: 5 },
          },
        },
      }),
    );
    const recent = await singleNotice(station.deps.db, ec.tenant, 4_200, {
      paymentTypeCode: "CDS",
      data: { notifiedAt: new Date(Date.now() - 2 * 86_400_000).toISOString() },
    });
    const verify = await post(station.url, verifyXml(ec.routing, recent.nav));
    expect(optionOf(verify)).toMatchObject({
      amount: "29.40",
      detailDescription: expect.stringMatching(/ridotto del 30%/),
    });
    const activation = await post(station.url, getPaymentXml(ec.routing, recent.nav, { token: "FINE-1" }));
    expect(dataOf(activation).paymentAmount).toBe("29.40");
    expect(transfersOf(activation)[0]!.transferAmount).toBe("29.40");

    const old = await singleNotice(station.deps.db, ec.tenant, 4_200, {
      paymentTypeCode: "CDS",
      data: { notifiedAt: new Date(Date.now() - 20 * 86_400_000).toISOString() },
    });
    expect(optionOf(await post(station.url, verifyXml(ec.routing, old.nav))).amount).toBe("42.00");
  });

  it("never hangs: a row lock held elsewhere turns into PAA_SYSTEM_ERROR within the answer deadline", async () => {
    const quick = await startStation({ SOAP_ANSWER_TIMEOUT_MS: "800" });
    try {
      const notice = await singleNotice(station.deps.db, ec.tenant);
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let locked!: () => void;
      const isLocked = new Promise<void>((r) => (locked = r));
      const holder = station.deps.db.withTenant(
        ec.tenant.id,
        async (tx) => {
          await tx.$queryRaw`SELECT id FROM debt_positions WHERE id = (SELECT position_id FROM payment_options WHERE id = ${notice.id}::uuid) FOR UPDATE`;
          locked();
          await held;
        },
        { timeout: 10_000 },
      );
      await isLocked;
      const started = Date.now();
      const reply = await post(quick.url, getPaymentXml(ec.routing, notice.nav, { token: "SLOW" }));
      const elapsed = Date.now() - started;
      release();
      await holder;
      expectFault(reply, "PAA_SYSTEM_ERROR");
      expect(elapsed).toBeLessThan(2_000);
      // The abandoned activation did not take the lock behind the Nodo's back.
      expect((await option(notice.id)).paymentToken).toBeNull();
      expectOk(await post(quick.url, verifyXml(ec.routing, notice.nav)));
    } finally {
      await quick.stop();
    }
  });

  checkCollectedAnswersAgainstXsd(60);
});
