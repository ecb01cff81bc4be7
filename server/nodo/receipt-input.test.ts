import { describe, expect, test } from "vitest";
import { receiptInputOf, type CtReceipt } from "./receipt-input.ts";

const base: CtReceipt = {
  receiptId: "rcpt-1",
  noticeNumber: "301000000000000001",
  fiscalCode: "00000000001",
  outcome: "OK",
  creditorReferenceId: "01000000000000001",
  paymentAmount: 1_250,
  idPSP: "PSPTEST",
  transfers: [
    {
      idTransfer: 1,
      transferAmount: 1_250,
      fiscalCodePA: "00000000001",
      remittanceInformation: "TARI 2026",
      transferCategory: "9/0101101IM/",
    },
  ],
};

describe("receiptInputOf: the one mapping from a ctReceipt to the stored receipt", () => {
  test("subjects are stored in the platform's names, absent fields as null", () => {
    const r = receiptInputOf({
      ...base,
      payer: {
        entityUniqueIdentifierType: "F",
        entityUniqueIdentifierValue: "RSSMRA80A01H501U",
        fullName: "Mario Rossi",
        stateProvinceRegion: "RM",
        email: "mario@example.it",
      },
    });
    expect(r.payer).toEqual({
      type: "F",
      fiscalCode: "RSSMRA80A01H501U",
      name: "Mario Rossi",
      streetName: null,
      civicNumber: null,
      postalCode: null,
      city: null,
      province: "RM",
      country: null,
      email: "mario@example.it",
    });
    expect(r.debtor).toBeNull();
  });

  test("a receipt's keys and amounts carry over; what is not said is null, Stand-In false", () => {
    const r = receiptInputOf(base);
    expect(r).toMatchObject({
      receiptId: "rcpt-1",
      nav: "301000000000000001",
      noticeFiscalCode: "00000000001",
      creditorReferenceId: "01000000000000001",
      amountCents: 1_250,
      feeCents: null,
      pspName: null,
      channelId: null,
      paymentDateTime: null,
      standIn: false,
    });
    expect(r.transfers).toEqual([
      {
        index: 1,
        amountCents: 1_250,
        fiscalCodePA: "00000000001",
        iban: null,
        mbdAttachment: null,
        remittanceText: "TARI 2026",
        category: "9/0101101IM/",
      },
    ]);
    expect(receiptInputOf({ ...base, standIn: true }).standIn).toBe(true);
  });
});
