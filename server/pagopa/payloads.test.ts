import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { noticeQrPayload, posteDataMatrixPayload } from "./payloads.ts";
import { isValidTaxonomyCode, parseTaxonomyCode } from "./taxonomy.ts";
import { formatCentsIt, formatDateIt, formatDateTimeIt, parseEuroToCents, toCents } from "./money.ts";

describe("notice QR payload", () => {
  it("follows PAGOPA|002|NAV|CF|cents", () => {
    expect(noticeQrPayload({ nav: "302000000000000184", creditorFiscalCode: "00345670210", amountCents: 102099 })).toBe(
      "PAGOPA|002|302000000000000184|00345670210|102099",
    );
    expect(() => noticeQrPayload({ nav: "3020", creditorFiscalCode: "00345670210", amountCents: 1 })).toThrow();
    expect(() =>
      noticeQrPayload({ nav: "302000000000000184", creditorFiscalCode: "00345670210", amountCents: 1.5 }),
    ).toThrow();
  });
});

describe("Poste DataMatrix payload", () => {
  const input = {
    nav: "302000000000000184",
    postalAccount: "1012345678",
    amountCents: 31_500,
    creditorFiscalCode: "00345670210",
    debtorFiscalCode: "RSSMRA80A01H501U",
    debtorName: "Mario Rossi",
    subject: "TARI 2026 - utenza domestica",
  };

  it("is exactly 256 characters with every field at its offset", () => {
    const p = posteDataMatrixPayload(input);
    expect(p).toHaveLength(256);
    expect(p.slice(0, 13)).toBe("codfase=NBPA;");
    expect(p.slice(13, 33)).toBe("18302000000000000184");
    expect(p.slice(33, 47)).toBe("12001012345678");
    expect(p.slice(47, 59)).toBe("100000031500");
    expect(p.slice(59, 66)).toBe("38961P1");
    expect(p.slice(66, 77)).toBe("00345670210");
    expect(p.slice(77, 93)).toBe("RSSMRA80A01H501U");
    expect(p.slice(93, 133)).toBe("MARIO ROSSI".padEnd(40));
    expect(p.slice(133, 243)).toBe("TARI 2026 - UTENZA DOMESTICA".padEnd(110));
    expect(p.slice(243, 255)).toBe(" ".repeat(12));
    expect(p[255]).toBe("A");
  });

  it("stays 256 characters with long, accented input", () => {
    const p = posteDataMatrixPayload({
      ...input,
      debtorName: "Àlessandro Öbermüller della Valle d'Aosta Superiore e Inferiore",
      subject: "x".repeat(300),
    });
    expect(p).toHaveLength(256);
    expect(p.slice(93, 133)).toBe("ALESSANDRO OBERMULLER DELLA VALLE D'AOSTA".slice(0, 40));
  });
});

describe("taxonomy codes", () => {
  it("parses and validates the format", () => {
    expect(parseTaxonomyCode("9/0101002IM/")).toEqual({
      prefix: "9",
      ecType: "01",
      macroArea: "01",
      serviceType: "002",
      legalReason: "IM",
    });
    for (const bad of ["9/0101002XX/", "0101002IM", "9/0101002IM", "5/0101002IM/", "9/010100IM/"])
      expect(isValidTaxonomyCode(bad), bad).toBe(false);
    expect(isValidTaxonomyCode("8/0101002SP/")).toBe(true);
  });

  const specs = path.resolve(
    process.env.PAGOPA_SPECS_DIR ?? path.join(import.meta.dirname, "../../../shared/specs/pagopa"),
  );
  const file = path.join(specs, "taxonomy/tassonomia.json");
  it.skipIf(!existsSync(file))(`accepts every code of the official taxonomy (${file})`, () => {
    const rows = JSON.parse(readFileSync(file, "utf8")) as Array<Record<string, string>>;
    const codes = rows.map((r) => r["DATI SPECIFICI DI INCASSO"]!).filter(Boolean);
    expect(codes.length).toBeGreaterThan(600);
    expect(codes.filter((c) => !isValidTaxonomyCode(c))).toEqual([]);
  });
});

describe("money and dates", () => {
  it("parses euro amounts exactly", () => {
    expect(parseEuroToCents("1.020,99")).toBe(102099);
    expect(parseEuroToCents("1020,99")).toBe(102099);
    expect(parseEuroToCents("1020.99")).toBe(102099);
    expect(parseEuroToCents("12")).toBe(1200);
    expect(parseEuroToCents("0,1")).toBe(10);
    expect(parseEuroToCents("999.999.999,99")).toBe(99_999_999_999);
    expect(parseEuroToCents("0.29")).toBe(29); // 0.29 * 100 is 28.999... in floating point
    for (const bad of ["1,2,3", "-1", "abc", "1,234", "1000000000", "", "1.02.0"])
      expect(() => parseEuroToCents(bad), bad).toThrow();
  });

  it("formats Italian amounts", () => {
    expect(formatCentsIt(102099)).toBe("1.020,99");
    expect(formatCentsIt(5)).toBe("0,05");
    expect(formatCentsIt(123456789)).toBe("1.234.567,89");
    expect(() => toCents(-1)).toThrow();
  });

  it("shows dates in Europe/Rome across daylight-saving changes", () => {
    expect(formatDateIt(new Date("2026-03-28T23:30:00Z"))).toBe("29/03/2026"); // CET, +1
    expect(formatDateTimeIt(new Date("2026-03-29T00:30:00Z"))).toBe("29/03/2026 01:30");
    expect(formatDateTimeIt(new Date("2026-03-29T01:30:00Z"))).toBe("29/03/2026 03:30"); // CEST, +2
    expect(formatDateTimeIt(new Date("2026-10-25T00:30:00Z"))).toBe("25/10/2026 02:30");
    expect(formatDateTimeIt(new Date("2026-10-25T01:30:00Z"))).toBe("25/10/2026 02:30"); // back to CET
    expect(formatDateIt(new Date("2026-12-31T23:30:00Z"))).toBe("01/01/2027");
  });
});
