import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { hasRealWorld, REAL_WORLD_DIR, realWorldFile } from "../test/harness/reconciliation/real-world.ts";
import { readTreasuryFile } from "./read-treasury-file.ts";
import { flowIdInDescription, TreasuryFormatError } from "./treasury-document.ts";

const P = "treasury/p4pa-payhub-activities";
const read = (file: string) => readTreasuryFile(realWorldFile(file));
const refusal = (file: string) => {
  try {
    read(file);
  } catch (err) {
    if (err instanceof TreasuryFormatError) return err.reason;
    throw err;
  }
  return "read";
};
const IUF = (n: number) => `2024-07-26PPAYITR1XXX-S202407260${n}`;

describe.skipIf(!hasRealWorld)(
  "treasury journals written by treasurers and banks (skipped without ../shared/fixtures)",
  () => {
    it("detects OPI 1.4 and keeps its executed credits (ENTRATA ESEGUITO), with no pagoPA reference", () => {
      const doc = read(`${P}/OPI_GIORNALE_DI_CASSA_V_1_4.VALID.xml`);
      expect(doc.format).toBe("OPI 1.4");
      expect(doc.credits.map((c) => [c.valueDate, c.amountCents, c.flowId, c.bankReference])).toEqual([
        ["2022-09-29", 501_587, null, "0074056"],
        ["2022-09-29", 427_620, null, "0074060"],
      ]);
      expect(doc.rowErrors).toEqual([]);
    });

    it("refuses the invalid OPI journal and the template, saying why", () => {
      expect(refusal(`${P}/OPI_GIORNALE_DI_CASSA_V_1_4.INVALID.xml`)).toMatch(
        /period starts \(2017-06-07\) after it ends/,
      );
      expect(refusal("treasury/p4pa-pu-feature-test/template_treasury_opi.xml")).toMatch(/template.*placeholder \{/);
    });

    it("reads the bank statements by header name: 5 flows, none refused, in either column order", () => {
      for (const file of ["IPA_TEST_1_XLS_ALL_RECORDS_OK.xls", "IPA_TEST_3_XLS_WITH_SWAPPED_HEADERS.xls"]) {
        const doc = read(`${P}/xls/${file}`);
        expect(doc.format).toBe("XLS");
        expect(doc.credits.map((c) => c.flowId)).toEqual([0, 1, 2, 3, 4].map(IUF));
        expect(doc.credits.map((c) => c.amountCents)).toEqual([1234, 1234, 1234, 1334, -1434]);
        expect(doc.credits[0]!.valueDate).toBe("2024-07-21");
        expect(doc.rowErrors).toEqual([]);
      }
    });

    it("lists the rows it cannot read and keeps the good one", () => {
      const doc = read(`${P}/xls/IPA_TEST_2_XLS_WITH_ERRORS.xls`);
      expect(doc.credits.map((c) => c.flowId)).toEqual([IUF(4)]);
      expect(doc.rowErrors.map((e) => e.reason)).toEqual([
        "DATA CONTABILE is empty",
        'IMPORTO "amount" is not an amount',
        'DATA VALUTA "data" is not a date',
        "DESCRIZIONE ESTESA is empty",
        "IMPORTO is empty",
      ]);
    });

    it("refuses statements without headers, empty ones and ones missing a column; headers alone are no rows", () => {
      expect(refusal(`${P}/xls/IPA_TEST_4_XLS_WITH_NO_HEADERS.xls`)).toMatch(/^Header mancanti/);
      expect(refusal(`${P}/xls/IPA_TEST_5_XLS_EMPTY.xls`)).toMatch(/^Header non trovati/);
      expect(refusal(`${P}/xls/IPA_TEST_8_XLS_WITH_MISSING_COLUMN.xls`)).toBe(
        "Header mancanti for the bank statement layout: ABI, CAB",
      );
      expect(read(`${P}/xls/IPA_TEST_6_XLS_WITH_ONLY_HEADERS.xls`)).toEqual({
        format: "XLS",
        credits: [],
        rowErrors: [],
      });
    });

    it("covers every real treasury file (a file added to the fixtures without a case here fails)", () => {
      const covered = [
        `${P}/OPI_GIORNALE_DI_CASSA_V_1_4.VALID.xml`,
        `${P}/OPI_GIORNALE_DI_CASSA_V_1_4.INVALID.xml`,
        "treasury/p4pa-pu-feature-test/template_treasury_opi.xml",
        ...[
          "1_XLS_ALL_RECORDS_OK",
          "2_XLS_WITH_ERRORS",
          "3_XLS_WITH_SWAPPED_HEADERS",
          "4_XLS_WITH_NO_HEADERS",
          "5_XLS_EMPTY",
          "6_XLS_WITH_ONLY_HEADERS",
          "7_XLS_WITH_INCOMPLETE_ROW",
          "8_XLS_WITH_MISSING_COLUMN",
        ].map((n) => `${P}/xls/IPA_TEST_${n}.xls`),
      ];
      const present = readdirSync(path.join(REAL_WORLD_DIR, "treasury"), { recursive: true, withFileTypes: true })
        .filter((d) => d.isFile() && d.name !== "PROVENANCE.md")
        .map((d) => path.relative(REAL_WORLD_DIR, path.join(d.parentPath, d.name)));
      expect(present.sort()).toEqual([...covered].sort());
      // Each is read or refused with a reason, never an unexplained crash.
      for (const file of present) expect(refusal(file)).toBeTruthy();
    });

    it("keeps a row whose optional cells are empty (the incomplete row)", () => {
      const doc = read(`${P}/xls/IPA_TEST_7_XLS_WITH_INCOMPLETE_ROW.xls`);
      expect(doc.credits).toHaveLength(2);
      expect(doc.credits[1]!.bankReference).toBeNull();
      expect(doc.rowErrors).toEqual([]);
    });
  },
);

describe("the giornale di cassa CSV", () => {
  it("reads the simulator's layout, quoted cells included, and finds the flow id in the description", () => {
    const csv =
      "data_valuta;importo_centesimi;importo_euro;causale;ordinante;trn\n" +
      "2026-11-22;1500;15,00;/PUR/LGPE-RIVERSAMENTO/URI/2026-11-22BDPSIMIT-1;BDPSIMIT;TRN1\n" +
      '2026-11-22;700;7,00;"Affitto; sala ""civica""";Mario;TRN2\n' +
      "2026-11-23;x;;/PUR/LGPE-RIVERSAMENTO/URI/2026-11-23BDPSIMIT-1;BDPSIMIT;TRN3\n";
    const doc = readTreasuryFile(Buffer.from(csv));
    expect(doc.format).toBe("CSV");
    expect(doc.credits).toEqual([
      {
        valueDate: "2026-11-22",
        amountCents: 1500,
        description: "/PUR/LGPE-RIVERSAMENTO/URI/2026-11-22BDPSIMIT-1",
        flowId: "2026-11-22BDPSIMIT-1",
        bankReference: "TRN1",
      },
      {
        valueDate: "2026-11-22",
        amountCents: 700,
        description: 'Affitto; sala "civica"',
        flowId: null,
        bankReference: "TRN2",
      },
    ]);
    expect(doc.rowErrors).toEqual([{ row: 4, reason: 'IMPORTO_CENTESIMI "x" is not an amount' }]);
  });

  it("takes the flow id up to the bank's next tag or blank", () => {
    expect(flowIdInDescription(":RI3:/PUR/LGPE-RIVERSAMENTO/URI/2024-07-26PPAYITR1XXX-S2024072600 :SEC:CASH")).toBe(
      IUF(0),
    );
    expect(flowIdInDescription("BONIFICO TARI")).toBeNull();
  });
});
