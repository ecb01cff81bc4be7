import { describe, expect, it } from "vitest";
import { counterPlanIssues } from "./counter-plan.ts";

const now = new Date("2026-12-02T15:00:00Z");
const opt = (euro: number, iso: string) => ({ amountCents: euro * 100, dueDate: new Date(iso) });
const messages = (plan: Parameters<typeof counterPlanIssues>[0]) =>
  counterPlanIssues(plan, now).map((i) => `${i.path.join(".")}: ${i.message}`);

describe("counterPlanIssues", () => {
  it("accepts a single payment and installments that add up to it, all due later", () => {
    expect(
      messages({ single: opt(300, "2027-01-31"), installments: [opt(100, "2027-01-31"), opt(200, "2027-03-31")] }),
    ).toEqual([]);
  });
  it("refuses due dates already past", () => {
    expect(messages({ single: opt(10, "2026-12-01T22:59:59Z") })).toEqual([
      "single.dueDate: la scadenza è già passata",
    ]);
    expect(messages({ installments: [opt(5, "2027-01-01"), opt(5, "2026-11-30")] })).toContain(
      "installments.1.dueDate: la scadenza è già passata",
    );
  });
  it("refuses installments whose total differs from the single amount", () => {
    expect(
      messages({ single: opt(315, "2027-01-31"), installments: [opt(105, "2027-01-31"), opt(105, "2027-03-31")] }),
    ).toEqual(["installments: la somma delle rate (210,00 €) è diversa dall'importo in unica soluzione (315,00 €)"]);
  });
  it("leaves unreadable amounts to their own field", () => {
    expect(
      messages({
        single: { amountCents: Number.NaN, dueDate: new Date("2027-01-31") },
        installments: [opt(1, "2027-01-31"), opt(2, "2027-02-28")],
      }),
    ).toEqual([]);
  });
});
