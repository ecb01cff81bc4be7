import { describe, expect, it } from "vitest";
import { currentAmount } from "./current-amount.ts";
import { AmountRules } from "../catalog/index.ts";
import { AMOUNT_RULE_PLUGINS } from "../../tenants/plugins/index.ts";

const rules = new AmountRules(AMOUNT_RULE_PLUGINS);

const fine = { kind: "plugin", plugin: "traffic-fine-early-discount", params: { discountPercent: 30, withinDays: 5 } };
const base = {
  baseAmountCents: 10_000,
  transfers: [
    { amountCents: 7_000, isStamp: false },
    { amountCents: 1_600, isStamp: true },
    { amountCents: 1_400, isStamp: false },
  ],
  optionDueDate: new Date("2026-06-01T00:00:00Z"),
  now: new Date("2026-05-02T10:00:00Z"),
};

describe("currentAmount", () => {
  it("keeps the stored amount without a rule or with a non-plugin rule", () => {
    expect(currentAmount(rules, { ...base, amountRule: null, positionData: {} })).toEqual({
      amountCents: 10_000,
      transferCents: [7_000, 1_600, 1_400],
    });
    expect(
      currentAmount(rules, { ...base, amountRule: { kind: "fixed", amountCents: 5 }, positionData: {} }).amountCents,
    ).toBe(10_000);
  });

  it("applies a plug-in and rescales the transfers, keeping stamps and the total exact", () => {
    const r = currentAmount(rules, { ...base, amountRule: fine, positionData: { notifiedAt: "2026-05-01T08:00:00Z" } });
    expect(r.amountCents).toBe(7_000);
    expect(r.transferCents[1]).toBe(1_600);
    expect(r.transferCents.reduce((a, b) => a + b, 0)).toBe(7_000);
    // 8,400 cents of non-stamp transfers become 5,400 in proportion 7,000 : 1,400.
    expect(r.transferCents).toEqual([4_500, 1_600, 900]);
    expect(r.note).toMatch(/30%/);
  });

  it("refuses a broken rule", () => {
    expect(() => currentAmount(rules, { ...base, amountRule: { kind: "nope" }, positionData: {} })).toThrow(
      /amount rule/,
    );
  });
});
