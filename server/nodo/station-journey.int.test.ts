import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Queue } from "bullmq";
import { receiptRegisteredJobId } from "../positions/index.ts";
import { getPaymentXml, sendRTXml, verifyXml, type ReceiptTransfer } from "../test/harness/nodo/soap-requests.ts";
import { post, startStation, type SoapReply, type Station } from "../test/harness/nodo/station-harness.ts";
import {
  installmentNotices,
  makeStationTenant,
  multiBeneficiaryNotice,
  postalNotice,
  singleNotice,
  type StationTenant,
} from "../test/harness/nodo/fixtures.ts";
import {
  checkCollectedAnswersAgainstXsd,
  dataOf,
  eventually,
  expectFault,
  expectOk,
  optionOf,
  transfersOf,
} from "../test/harness/nodo/helpers.ts";

// The whole journey the Nodo drives for a notice: verify → getPaymentV2 → sendRTV2.
describe("paForNode station: payment journeys", () => {
  let station: Station;
  let ec: StationTenant;

  beforeAll(async () => {
    station = await startStation();
    ec = await makeStationTenant(station.deps.db);
  });
  afterAll(() => station?.stop());

  /** Builds the receipt transfers from what paGetPaymentV2 answered. */
  const receiptTransfers = (reply: SoapReply): ReceiptTransfer[] =>
    transfersOf(reply).map((t) => ({
      idTransfer: Number(t.idTransfer),
      amount: String(t.transferAmount),
      fiscalCodePA: String(t.fiscalCodePA),
      ...(t.IBAN ? { iban: String(t.IBAN) } : { mbd: Buffer.from("<marcaDaBollo/>").toString("base64") }),
      remittance: String(t.remittanceInformation),
      category: String(t.transferCategory),
    }));

  async function pay(nav: string, token = `TK${randomUUID().replaceAll("-", "").slice(0, 30)}`) {
    const verify = await post(station.url, verifyXml(ec.routing, nav));
    expectOk(verify);
    const activation = await post(station.url, getPaymentXml(ec.routing, nav, { token }));
    expectOk(activation);
    const data = dataOf(activation);
    const receipt = await post(
      station.url,
      sendRTXml(ec.routing, {
        receiptId: token,
        nav,
        fiscalCode: ec.routing.idPA,
        iuv: String(data.creditorReferenceId),
        amount: String(data.paymentAmount),
        transfers: receiptTransfers(activation),
      }),
    );
    expectOk(receipt);
    return { verify, activation, receipt, token };
  }

  it("pays a single notice: amount, transfers, lock, receipt, paid state, follow-up job and journal", async () => {
    const notice = await singleNotice(station.deps.db, ec.tenant, 12_345);
    const { verify, activation, token } = await pay(notice.nav);

    expect(optionOf(verify)).toMatchObject({ amount: "123.45", options: "EQ", allCCP: "false" });
    expect(verify.payload).toMatchObject({
      fiscalCodePA: ec.tenant.fiscalCode,
      companyName: ec.tenant.name,
      officeName: "Settore Tributi",
      paymentDescription: "Tassa di prova",
    });
    expect(dataOf(activation)).toMatchObject({
      creditorReferenceId: notice.iuv,
      paymentAmount: "123.45",
      companyName: ec.tenant.name,
    });
    expect(dataOf(activation).debtor).toMatchObject({
      fullName: "Mario Rossi",
      uniqueIdentifier: { entityUniqueIdentifierType: "F", entityUniqueIdentifierValue: "RSSMRA80A01H501U" },
    });
    expect(transfersOf(activation)).toEqual([
      {
        idTransfer: "1",
        transferAmount: "123.45",
        fiscalCodePA: ec.tenant.fiscalCode,
        IBAN: "IT68D0306912345100000012345",
        remittanceInformation: "Pagamento di prova",
        transferCategory: "9/0101101IM/",
      },
    ]);

    const state = await station.deps.db.withTenant(ec.tenant.id, async (tx) => ({
      option: await tx.paymentOption.findUniqueOrThrow({
        where: { id: notice.id },
        include: { position: true, transfers: true },
      }),
      receipt: await tx.receipt.findFirstOrThrow({ where: { receiptId: token } }),
    }));
    expect(state.option).toMatchObject({ status: "PAID", paymentToken: null, lockedUntil: null });
    expect(state.option.position.status).toBe("PAID");
    expect(state.option.transfers[0]!.paidCents).toBe(12_345);
    expect(state.receipt).toMatchObject({
      optionId: notice.id,
      nav: notice.nav,
      iuv: notice.iuv,
      amountCents: 12_345,
      feeCents: 100,
      outcome: "OK",
      standIn: false,
      pspId: "BCITITMM",
    });
    // The Nodo's 10:15 without offset is Rome time: on 10 May (CEST, UTC+2) that is 08:15 UTC.
    expect(state.receipt.paymentDateTime?.toISOString()).toBe("2026-05-10T08:15:00.000Z");
    expect(state.receipt.accessToken).toMatch(/^[A-Za-z0-9_-]{43,}$/);

    const queue = new Queue("receipts", { connection: station.deps.redis, prefix: station.deps.config.QUEUE_PREFIX });
    const job = await queue.getJob(receiptRegisteredJobId(ec.tenant.id, token));
    await queue.close();
    expect(job?.data).toMatchObject({
      tenantId: ec.tenant.id,
      receiptId: token,
      optionId: notice.id,
      outcome: "OK",
      standIn: false,
    });

    // Paid now: every later verify or activation is a duplicate.
    expectFault(await post(station.url, verifyXml(ec.routing, notice.nav)), "PAA_PAGAMENTO_DUPLICATO");
    expectFault(
      await post(station.url, getPaymentXml(ec.routing, notice.nav, { token: "another" })),
      "PAA_PAGAMENTO_DUPLICATO",
    );

    const journal = await eventually(async () => {
      const rows = await station.deps.db.withTenant(ec.tenant.id, (tx) =>
        tx.nodoMessage.findMany({ where: { nav: notice.nav }, orderBy: { createdAt: "asc" } }),
      );
      expect(rows.length).toBeGreaterThanOrEqual(5);
      return rows;
    });
    expect(journal.map((r) => [r.operation, r.outcome, r.faultCode])).toEqual([
      ["paVerifyPaymentNotice", "OK", null],
      ["paGetPaymentV2", "OK", null],
      ["paSendRTV2", "OK", null],
      ["paVerifyPaymentNotice", "KO", "PAA_PAGAMENTO_DUPLICATO"],
      ["paGetPaymentV2", "KO", "PAA_PAGAMENTO_DUPLICATO"],
    ]);
    const rt = journal[2]!;
    expect(rt).toMatchObject({
      tenantId: ec.tenant.id,
      direction: "IN",
      stationCode: ec.routing.idStation,
      iuv: notice.iuv,
      receiptId: token,
    });
    expect(rt.requestXml).toContain("<receiptId>");
    expect(rt.responseXml).toContain("<outcome>OK</outcome>");
    expect(rt.durationMs).toBeGreaterThanOrEqual(0);
    expect(rt.requestId).toBeTruthy();
  });

  it("pays installments one at a time: PARTIALLY_PAID, then PAID, and the other installments stay payable", async () => {
    const plan = await installmentNotices(station.deps.db, ec.tenant, 3);
    const [first, second, third] = plan.options;
    const positionStatus = () =>
      station.deps.db.withTenant(ec.tenant.id, (tx) =>
        tx.debtPosition.findUniqueOrThrow({ where: { id: plan.positionId } }).then((p) => p.status),
      );

    const { verify } = await pay(first!.nav);
    expect(optionOf(verify)).toMatchObject({ amount: "50.00", detailDescription: "Rata 1 di 3" });
    expect(await positionStatus()).toBe("PARTIALLY_PAID");
    expectOk(await post(station.url, verifyXml(ec.routing, second!.nav)));
    await pay(second!.nav);
    expect(await positionStatus()).toBe("PARTIALLY_PAID");
    await pay(third!.nav);
    expect(await positionStatus()).toBe("PAID");
    expectFault(await post(station.url, verifyXml(ec.routing, first!.nav)), "PAA_PAGAMENTO_DUPLICATO");
  });

  it("pays a multi-beneficiary notice: 5 transfers, postal IBAN, @e.bollo, metadata", async () => {
    const notice = await multiBeneficiaryNotice(station.deps.db, ec.tenant);
    const { verify, activation } = await pay(notice.nav);
    expect(optionOf(verify)).toMatchObject({ amount: "306.00", allCCP: "false" });
    const transfers = transfersOf(activation);
    expect(transfers).toHaveLength(5);
    expect(transfers.map((t) => t.transferAmount)).toEqual(["100.00", "50.00", "70.00", "70.00", "16.00"]);
    expect(transfers[1]).toMatchObject({ IBAN: "IT78N0760103200001012345678" });
    expect(transfers[2]).toMatchObject({
      fiscalCodePA: "00987654324",
      transferCategory: "9/0201102IM/",
      metadata: { mapEntry: [{ key: "capitolo", value: "3010" }] },
    });
    expect(transfers[4]).toMatchObject({ richiestaMarcaDaBollo: { tipoBollo: "01", provinciaResidenza: "RM" } });
    expect(transfers[4]!.IBAN).toBeUndefined();

    const stored = await station.deps.db.withTenant(ec.tenant.id, (tx) =>
      tx.transfer.findMany({ where: { optionId: notice.id }, orderBy: { index: "asc" } }),
    );
    expect(stored.map((t) => t.paidCents)).toEqual([10_000, 5_000, 7_000, 7_000, 1_600]);
  });

  it("sets allCCP only when every transfer goes to a postal account", async () => {
    const notice = await postalNotice(station.deps.db, ec.tenant);
    expect(optionOf(await post(station.url, verifyXml(ec.routing, notice.nav)))).toMatchObject({
      amount: "20.00",
      allCCP: "true",
    });
  });

  it("answers paGetPayment (version 1) with IBAN transfers and refuses a stamp it cannot carry", async () => {
    const plain = await singleNotice(station.deps.db, ec.tenant, 700);
    const v1 = await post(station.url, getPaymentXml(ec.routing, plain.nav, { version: 1, token: "V1TOKEN" }));
    expectOk(v1);
    expect(v1.element).toBe("paGetPaymentRes");
    expect(transfersOf(v1)[0]).toMatchObject({ transferAmount: "7.00", IBAN: "IT68D0306912345100000012345" });

    const withStamp = await multiBeneficiaryNotice(station.deps.db, ec.tenant);
    expectFault(await post(station.url, getPaymentXml(ec.routing, withStamp.nav, { version: 1 })), "PAA_SEMANTICA");
    // Refused before locking: version 2 can still activate it.
    expectOk(await post(station.url, getPaymentXml(ec.routing, withStamp.nav, { token: "V2TOKEN" })));
  });

  it("stores a paSendRT (version 1) receipt", async () => {
    const notice = await singleNotice(station.deps.db, ec.tenant, 900);
    const rt = await post(
      station.url,
      sendRTXml(
        ec.routing,
        {
          receiptId: "RTV1-0001",
          nav: notice.nav,
          fiscalCode: ec.routing.idPA,
          iuv: notice.iuv,
          amount: "9.00",
          transfers: [
            {
              idTransfer: 1,
              amount: "9.00",
              fiscalCodePA: ec.routing.idPA,
              iban: "IT68D0306912345100000012345",
              remittance: "r",
              category: "9/0101101IM/",
            },
          ],
        },
        1,
      ),
    );
    expectOk(rt);
    expect(rt.element).toBe("paSendRTRes");
    expectFault(await post(station.url, verifyXml(ec.routing, notice.nav)), "PAA_PAGAMENTO_DUPLICATO");
  });

  checkCollectedAnswersAgainstXsd(20);
});
