import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AmountRules, defineAmountRulePlugin, type AmountRulePlugin } from "./amount-rules.ts";

const plus = (name: string) =>
  defineAmountRulePlugin({
    name,
    description: "adds a fixed sum",
    params: z.object({ addCents: z.number().int() }),
    currentAmount: (ctx, p) => ({ amountCents: ctx.baseAmountCents + p.addCents }),
  }) as unknown as AmountRulePlugin<never>;

const ctx = { baseAmountCents: 1_000, now: new Date(), positionData: {}, optionDueDate: new Date() };

describe("AmountRules", () => {
  it("runs only the plug-ins it was given, with their own params schema", () => {
    const rules = new AmountRules([plus("plus")]);
    expect(rules.names()).toEqual(["plus"]);
    expect(rules.run("plus", { addCents: 5 }, ctx).amountCents).toBe(1_005);
    expect(() => rules.run("plus", { addCents: "5" }, ctx)).toThrow(
      expect.objectContaining({ code: "AMOUNT_RULE_PLUGIN_PARAMS" }),
    );
    expect(() => new AmountRules().run("plus", { addCents: 5 }, ctx)).toThrow(
      expect.objectContaining({ code: "AMOUNT_RULE_PLUGIN_UNKNOWN" }),
    );
  });

  it("refuses a result that is not a positive whole number of cents", () => {
    expect(() => new AmountRules([plus("plus")]).run("plus", { addCents: -1_000 }, ctx)).toThrow(
      expect.objectContaining({ code: "AMOUNT_RULE_PLUGIN_RESULT" }),
    );
  });

  it("refuses two plug-ins with one name at start-up", () => {
    expect(() => new AmountRules([plus("plus"), plus("plus")])).toThrow(/registered twice/);
  });
});
