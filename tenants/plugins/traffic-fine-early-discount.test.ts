import { describe, expect, it } from "vitest";
import { AmountRules } from "../../server/catalog/index.ts";
import { AMOUNT_RULE_PLUGINS } from "./index.ts";

const rules = new AmountRules(AMOUNT_RULE_PLUGINS);

const run = (notifiedAt: string | undefined, now: string, base = 4_200, params: unknown = {}) =>
  rules.run("traffic-fine-early-discount", params, {
    baseAmountCents: base,
    now: new Date(now),
    positionData: notifiedAt ? { notifiedAt } : {},
    optionDueDate: new Date("2026-12-31T00:00:00Z"),
  });

describe("traffic-fine-early-discount", () => {
  it("takes 30% off on the notification day and through the fifth Rome calendar day after it", () => {
    expect(run("2026-03-10T09:00:00Z", "2026-03-10T10:00:00Z").amountCents).toBe(2_940);
    // 15 March 23:30 in Rome is 22:30 UTC: still inside the window.
    expect(run("2026-03-10T09:00:00Z", "2026-03-15T22:30:00Z").amountCents).toBe(2_940);
  });

  it("charges the full amount from the sixth day on", () => {
    // 16 March 00:30 in Rome (CET, UTC+1) is 15 March 23:30 UTC.
    expect(run("2026-03-10T09:00:00Z", "2026-03-15T23:30:00Z").amountCents).toBe(4_200);
    expect(run("2026-03-10T09:00:00Z", "2026-04-10T10:00:00Z").amountCents).toBe(4_200);
  });

  it("charges the full amount while the notification date is unknown or in the future", () => {
    expect(run(undefined, "2026-03-10T10:00:00Z").amountCents).toBe(4_200);
    expect(run("2026-03-12T09:00:00Z", "2026-03-10T10:00:00Z").amountCents).toBe(4_200);
    expect(run("not a date", "2026-03-10T10:00:00Z").amountCents).toBe(4_200);
  });

  it("honours the payment type's parameters and rounds a half cent in the citizen's favour", () => {
    expect(
      run("2026-03-10T09:00:00Z", "2026-03-12T10:00:00Z", 4_200, { discountPercent: 10, withinDays: 2 }).amountCents,
    ).toBe(3_780);
    expect(
      run("2026-03-10T09:00:00Z", "2026-03-13T10:00:00Z", 4_200, { discountPercent: 10, withinDays: 2 }).amountCents,
    ).toBe(4_200);
    // 30% of 1.05 EUR is 31.5 cents: the discount is 32 cents.
    expect(run("2026-03-10T09:00:00Z", "2026-03-10T10:00:00Z", 105).amountCents).toBe(73);
  });

  it("explains a reduced amount", () => {
    expect(run("2026-03-10T09:00:00Z", "2026-03-10T10:00:00Z").note).toMatch(/ridotto del 30%/);
  });

  it("refuses unknown plug-ins and bad parameters", () => {
    expect(() =>
      rules.run("nope", {}, { baseAmountCents: 1, now: new Date(), positionData: {}, optionDueDate: new Date() }),
    ).toThrow(/Unknown amount-rule plug-in/);
    expect(() => run("2026-03-10T09:00:00Z", "2026-03-10T10:00:00Z", 4_200, { discountPercent: 150 })).toThrow(
      /Bad parameters/,
    );
  });
});
