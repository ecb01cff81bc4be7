import { describe, expect, it } from "vitest";
import { isValidRfReference, rfReference } from "./rf.ts";
import { isItalianPostalIban, isValidIban, normalizeIban } from "./iban.ts";
import { isValidFiscalCode, isValidPersonFiscalCode, isValidVatNumber } from "./fiscal-code.ts";

const mutations = (s: string) =>
  [...s].flatMap((ch, i) => {
    const alphabet = /\d/.test(ch) ? "0123456789" : "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    return [...alphabet].filter((c) => c !== ch).map((c) => s.slice(0, i) + c + s.slice(i + 1));
  });

describe("RF creditor reference (ISO 11649)", () => {
  it("computes the standard's examples", () => {
    expect(rfReference("539007547034")).toBe("RF18539007547034");
    expect(rfReference("w9")).toBe("RF45W9");
    expect(isValidRfReference("RF18 5390 0754 7034")).toBe(true);
    expect(isValidRfReference("rf45w9")).toBe(true);
  });

  it("rejects wrong check digits and bad shapes", () => {
    expect(isValidRfReference("RF19539007547034")).toBe(false);
    expect(isValidRfReference("RF18")).toBe(false);
    expect(() => rfReference("TOO-LONG-REFERENCE-1234567")).toThrow();
    for (const m of mutations("RF18539007547034").filter((m) => m.startsWith("RF")))
      expect(isValidRfReference(m)).toBe(false);
  });

  it("round-trips random references", () => {
    for (let i = 0; i < 500; i++) {
      const ref = Math.random()
        .toString(36)
        .slice(2, 2 + 1 + (i % 20))
        .toUpperCase();
      expect(isValidRfReference(rfReference(ref))).toBe(true);
    }
  });
});

describe("IBAN (ISO 13616)", () => {
  const valid = [
    "IT60X0542811101000000123456",
    "GB82WEST12345698765432",
    "DE89370400440532013000",
    "IT68D0306912345100000012345",
    "FR1420041010050500013M02606",
  ];

  it("accepts valid IBANs with spaces and lower case", () => {
    for (const iban of valid) expect(isValidIban(iban), iban).toBe(true);
    expect(isValidIban("it60 x054 2811 1010 0000 0123 456")).toBe(true);
    expect(normalizeIban("it60 x054")).toBe("IT60X054");
  });

  it("rejects every single-character change and wrong lengths", () => {
    for (const m of mutations("IT60X0542811101000000123456")) expect(isValidIban(m), m).toBe(false);
    expect(isValidIban("IT60X054281110100000012345")).toBe(false);
    expect(isValidIban("XX00")).toBe(false);
  });

  it("recognises Poste Italiane accounts", () => {
    expect(isItalianPostalIban("IT78N0760103200001012345678")).toBe(true);
    expect(isItalianPostalIban("IT60X0542811101000000123456")).toBe(false);
  });
});

describe("fiscal codes and VAT numbers", () => {
  it("accepts people's codes, omocodia variants included", () => {
    for (const cf of ["RSSMRA85T10A562S", "RSSMRA80A01H501U", "BNCGLI85M45L736L", "rssmra80a01h501u"])
      expect(isValidPersonFiscalCode(cf), cf).toBe(true);
    // RSSMRA85T10A562S with its last digit (2) written as N, control char recomputed: H.
    expect(isValidPersonFiscalCode("RSSMRA85T10A56NH")).toBe(true);
    expect(isValidPersonFiscalCode("RSSMRA85T10A56NS")).toBe(false);
  });

  it("rejects every single-character change of a person's code", () => {
    for (const m of mutations("RSSMRA85T10A562S")) expect(isValidPersonFiscalCode(m), m).toBe(false);
    expect(isValidPersonFiscalCode("RSSMRA85T99A562S")).toBe(false); // day 99
    expect(isValidPersonFiscalCode("RSSMRA85Z10A562S")).toBe(false); // month letter Z
  });

  it("checks VAT numbers and organisations' fiscal codes", () => {
    for (const piva of ["00345670210", "00298130246", "80044120154", "80015570270", "00987654324"]) {
      expect(isValidVatNumber(piva), piva).toBe(true);
      expect(isValidFiscalCode(piva)).toBe(true);
    }
    for (const m of mutations("00345670210")) expect(isValidVatNumber(m), m).toBe(false);
    expect(isValidVatNumber("0034567021")).toBe(false);
    expect(isValidFiscalCode("RSSMRA85T10A562S")).toBe(true);
  });
});
