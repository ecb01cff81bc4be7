import { describe, expect, it } from "vitest";
import { isoDateTime } from "../../server/nodo/station/schemas/common.schema.ts";
import { PSPS, receiptXml, romeLocalDateTime } from "./station-client.ts";

const receipt = (paidAt: Date) =>
  receiptXml({
    receiptId: "r1",
    idPA: "00345670210",
    nav: "301000000000000150",
    iuv: "01000000000000150",
    amountCents: 1_000,
    description: "Prova",
    companyName: "Comune",
    debtor: { type: "F", value: "RSSMRA80A01H501U", fullName: "Maria D'Angelo & Figli" },
    transfers: [
      {
        idTransfer: "1",
        transferAmount: "10.00",
        fiscalCodePA: "00345670210",
        IBAN: "IT60X0542811101000000123456",
        remittanceText: "Prova",
        transferCategory: "9/0101002IM/",
      } as never,
    ],
    psp: PSPS[0]!,
    standIn: false,
    paidAt,
  });

describe("the simulator's receipts, as the Nodo writes them", () => {
  // Both sides of the two DST changes of 2026 (29 March 02:00 CET → 03:00 CEST, 25 October 03:00 CEST → 02:00 CET).
  const cases: Array<[string, string]> = [
    ["2026-03-29T00:59:00Z", "2026-03-29T01:59:00"], // last minute of winter time
    ["2026-03-29T01:00:00Z", "2026-03-29T03:00:00"], // first minute of summer time
    ["2026-03-29T13:49:00Z", "2026-03-29T15:49:00"],
    ["2026-10-24T13:49:00Z", "2026-10-24T15:49:00"], // the Saturday before, still summer time
    ["2026-10-25T01:00:00Z", "2026-10-25T02:00:00"], // winter time again
    ["2026-10-25T14:49:00Z", "2026-10-25T15:49:00"],
    ["2026-12-02T14:49:00Z", "2026-12-02T15:49:00"], // the 15:49 in Rome
  ];

  it("write paymentDateTime in Rome time without an offset, and applicationDate as the Rome day", () => {
    for (const [utc, rome] of cases) {
      const xml = receipt(new Date(utc));
      expect(/<paymentDateTime>([^<]+)</.exec(xml)![1], utc).toBe(rome);
      expect(/<applicationDate>([^<]+)</.exec(xml)![1], utc).toBe(rome.slice(0, 10));
    }
    // 23:30 UTC on 31 December is already New Year's Day in Rome.
    expect(romeLocalDateTime(new Date("2026-12-31T23:30:00Z"))).toBe("2027-01-01T00:30:00");
  });

  it("are read back by our station as the same instant, on both sides of each DST change", () => {
    for (const [utc] of cases)
      expect(isoDateTime.parse(romeLocalDateTime(new Date(utc))).toISOString(), utc).toBe(new Date(utc).toISOString());
  });

  it("escape text once: a name reaches the XML as D&apos;Angelo or D'Angelo, never &amp;apos;", () => {
    const xml = receipt(new Date("2026-05-10T08:00:00Z"));
    expect(xml).toContain("<fullName>Maria D'Angelo &amp; Figli</fullName>");
  });
});
