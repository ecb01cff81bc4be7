import { describe, expect, test } from "vitest";
import { auditChanges } from "./audit-changes.ts";

describe("audit log before/after as rows", () => {
  test("an account change reads in Italian, with no JSON braces", () => {
    const rows = auditChanges(
      { iban: "IT60X0542811101000000123456", isPostal: false },
      { iban: "IT91Z0503411701000000004321", isPostal: true, effectiveFrom: "2026-03-29T01:30:00.000Z" },
    );
    expect(rows).toEqual([
      { label: "IBAN", before: "IT60X0542811101000000123456", after: "IT91Z0503411701000000004321" },
      { label: "Conto postale", before: "no", after: "sì" },
      { label: "In vigore dal", before: "—", after: "29/03/26, 03:30" },
    ]);
  });

  test("nested data is spelled out, amounts in euro, and an unknown key falls back to itself", () => {
    const [options, other] = auditChanges(undefined, { options: [{ nav: "301", amountCents: 1234 }], chiaveNuova: 3 });
    expect(options!.after).toBe("Codice avviso: 301, Importo: 12,34\u00a0€");
    expect(other).toEqual({ label: "chiaveNuova", before: "—", after: "3" });
    expect(JSON.stringify([options, other].map((r) => r!.after))).not.toMatch(/[{}]/);
  });
});
