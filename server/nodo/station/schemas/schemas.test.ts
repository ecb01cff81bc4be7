import { describe, expect, it } from "vitest";
import { amount, amountNotZero, isoDate, isoDateTime, subject, text } from "./common.schema.ts";
import { getPaymentRequest, sendRTV2Request, verifyRequest } from "./requests.schema.ts";

const routing = { idPA: "00345670210", idBrokerPA: "80015570270", idStation: "80015570270_01" };
const qrCode = { fiscalCode: "00345670210", noticeNumber: "301000000000000150" };
const person = {
  uniqueIdentifier: { entityUniqueIdentifierType: "F", entityUniqueIdentifierValue: "RSSMRA80A01H501U" },
  fullName: "Mario Rossi",
};

describe("XSD mirrors", () => {
  it("reads amounts as integer cents with the XSD's lexical rule", () => {
    expect(amount.parse("0.00")).toBe(0);
    expect(amount.parse("12.30")).toBe(1_230);
    expect(amount.parse("999999999.99")).toBe(99_999_999_999);
    for (const bad of ["12.3", "12", "1,00", "-1.00", "+1.00", "1000000000.00", " 1.00"])
      expect(amount.safeParse(bad).success).toBe(false);
    expect(amountNotZero.safeParse("0.00").success).toBe(false);
  });

  it("counts text lengths in characters and refuses empty texts", () => {
    expect(text(3).safeParse("àèì").success).toBe(true);
    expect(text(3).safeParse("abcd").success).toBe(false);
    expect(text(3).safeParse("").success).toBe(false);
  });

  it("reads dates as days and date-times without offset as Rome time", () => {
    expect(isoDate.parse("2026-02-28").toISOString()).toBe("2026-02-28T00:00:00.000Z");
    expect(isoDate.safeParse("2026-02-30").success).toBe(false);
    // Winter (CET, UTC+1) and summer (CEST, UTC+2).
    expect(isoDateTime.parse("2026-01-15T10:00:00").toISOString()).toBe("2026-01-15T09:00:00.000Z");
    expect(isoDateTime.parse("2026-07-15T10:00:00.250").toISOString()).toBe("2026-07-15T08:00:00.250Z");
    expect(isoDateTime.parse("2026-07-15T10:00:00Z").toISOString()).toBe("2026-07-15T10:00:00.000Z");
    expect(isoDateTime.parse("2026-07-15T10:00:00+01:00").toISOString()).toBe("2026-07-15T09:00:00.000Z");
    expect(isoDateTime.safeParse("2026-07-15 10:00:00").success).toBe(false);
    // Around the DST changes (29 March and 25 October 2026), without an offset as the Nodo sends
    // it and with one: 15:49 in Rome is 14:49 UTC in winter and 13:49 UTC in summer.
    expect(isoDateTime.parse("2026-03-28T15:49:00").toISOString()).toBe("2026-03-28T14:49:00.000Z");
    expect(isoDateTime.parse("2026-03-29T01:59:00").toISOString()).toBe("2026-03-29T00:59:00.000Z");
    expect(isoDateTime.parse("2026-03-29T03:00:00").toISOString()).toBe("2026-03-29T01:00:00.000Z");
    expect(isoDateTime.parse("2026-03-29T15:49:00").toISOString()).toBe("2026-03-29T13:49:00.000Z");
    expect(isoDateTime.parse("2026-10-24T15:49:00").toISOString()).toBe("2026-10-24T13:49:00.000Z");
    expect(isoDateTime.parse("2026-10-25T15:49:00").toISOString()).toBe("2026-10-25T14:49:00.000Z");
    // The hour 02:00-03:00 of 25 October happens twice: only an offset tells which one.
    expect(isoDateTime.parse("2026-10-25T02:30:00+02:00").toISOString()).toBe("2026-10-25T00:30:00.000Z");
    expect(isoDateTime.parse("2026-10-25T02:30:00+01:00").toISOString()).toBe("2026-10-25T01:30:00.000Z");
    expect(isoDateTime.parse("2026-03-29T15:49:00+02:00").toISOString()).toBe("2026-03-29T13:49:00.000Z");
  });

  it("validates subjects, including the e-mail pattern", () => {
    expect(subject.safeParse({ ...person, "e-mail": "mario.rossi@example.org" }).success).toBe(true);
    expect(subject.safeParse({ ...person, "e-mail": "not an address" }).success).toBe(false);
    expect(subject.safeParse({ ...person, fullName: "x".repeat(71) }).success).toBe(false);
  });

  it("accepts well-formed requests and rejects unknown or missing elements", () => {
    expect(verifyRequest.safeParse({ ...routing, qrCode }).success).toBe(true);
    expect(verifyRequest.safeParse({ ...routing, qrCode, extra: "x" }).success).toBe(false);
    expect(verifyRequest.safeParse({ ...routing }).success).toBe(false);
    expect(
      verifyRequest.safeParse({ ...routing, qrCode: { ...qrCode, noticeNumber: "30100000000000015" } }).success,
    ).toBe(false);
    expect(getPaymentRequest.parse({ ...routing, qrCode, amount: "10.00", transferType: "POSTAL" }).amount).toBe(1_000);
    expect(getPaymentRequest.safeParse({ ...routing, qrCode, transferType: "OTHER" }).success).toBe(false);
  });

  it("wants exactly one of IBAN and MBDAttachment in a V2 receipt transfer", () => {
    const transfer = {
      idTransfer: "1",
      transferAmount: "10.00",
      fiscalCodePA: "00345670210",
      remittanceInformation: "r",
      transferCategory: "9/0101100IM/",
    };
    const receipt = (t: object) => ({
      ...routing,
      receipt: {
        receiptId: "r1",
        noticeNumber: qrCode.noticeNumber,
        fiscalCode: qrCode.fiscalCode,
        outcome: "OK",
        creditorReferenceId: "01000000000000150",
        paymentAmount: "10.00",
        description: "d",
        companyName: "c",
        debtor: person,
        transferList: { transfer: [t] },
        idPSP: "PSP",
        PSPCompanyName: "Banca",
        idChannel: "PSP_01",
        channelDescription: "app",
        standIn: "true",
      },
    });
    const ok = sendRTV2Request.safeParse(receipt({ ...transfer, IBAN: "IT60X0542811101000000123456" }));
    expect(ok.success && ok.data.receipt.standIn).toBe(true);
    expect(sendRTV2Request.safeParse(receipt({ ...transfer, MBDAttachment: "PHg+PC94Pg==" })).success).toBe(true);
    expect(sendRTV2Request.safeParse(receipt(transfer)).success).toBe(false);
    expect(sendRTV2Request.safeParse(receipt({ ...transfer, IBAN: "IT60", MBDAttachment: "PHg+" })).success).toBe(
      false,
    );
  });
});
