import { describe, expect, it } from "vitest";
import { planInstallmentSheets } from "./notice-layout.ts";

const n = (count: number) => Array.from({ length: count }, (_, i) => i + 1);

describe("planInstallmentSheets", () => {
  it("prints nothing when there are no installments", () => {
    expect(planInstallmentSheets([], { postal: false })).toEqual([]);
  });

  it("lays two installments out 2-up, and a lone one 2-up with a padded slot", () => {
    expect(planInstallmentSheets(n(2), { postal: false })).toEqual([{ layout: "2up", rows: [[1, 2]] }]);
    expect(planInstallmentSheets(n(1), { postal: false })).toEqual([{ layout: "2up", rows: [[1, null]] }]);
  });

  it("lays three installments out 3-up", () => {
    expect(planInstallmentSheets(n(3), { postal: false })).toEqual([{ layout: "3up", rows: [[1, 2, 3]] }]);
  });

  it("keeps 3-up for five installments and pads the last row instead of mixing layouts", () => {
    const sheets = planInstallmentSheets(n(5), { postal: false });
    expect(sheets).toEqual([
      {
        layout: "3up",
        rows: [
          [1, 2, 3],
          [4, 5, null],
        ],
      },
    ]);
    for (const sheet of sheets) for (const row of sheet.rows) expect(row).toHaveLength(3);
  });

  it("puts two rows on a sheet, or one row when each card needs its Poste bulletin", () => {
    expect(planInstallmentSheets(n(12), { postal: false }).map((s) => s.rows.length)).toEqual([2, 2]);
    const postal = planInstallmentSheets(n(7), { postal: true });
    expect(postal.map((s) => s.rows)).toEqual([[[1, 2, 3]], [[4, 5, 6]], [[7, null, null]]]);
    expect(new Set(postal.map((s) => s.layout))).toEqual(new Set(["3up"]));
  });

  it("places every installment exactly once, in order", () => {
    for (const count of [1, 2, 3, 4, 5, 8, 13, 60]) {
      for (const postal of [false, true]) {
        const placed = planInstallmentSheets(n(count), { postal })
          .flatMap((s) => s.rows.flat())
          .filter((x) => x !== null);
        expect(placed).toEqual(n(count));
      }
    }
  });
});
