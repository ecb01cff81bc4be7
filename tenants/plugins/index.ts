import { AppError } from "../../server/platform/errors.ts";
import type { AmountRuleContext, AmountRulePlugin, AmountRuleResult } from "./amount-rule-plugin.ts";
import { trafficFineEarlyDiscount } from "./traffic-fine-early-discount.ts";

export type { AmountRuleContext, AmountRulePlugin, AmountRuleResult } from "./amount-rule-plugin.ts";
export { defineAmountRulePlugin } from "./amount-rule-plugin.ts";

/** Every amount-rule plug-in a payment type may name in `amountRule: { kind: "plugin" }`. */
export const AMOUNT_RULE_PLUGINS: ReadonlyMap<string, AmountRulePlugin<never>> = new Map(
  [trafficFineEarlyDiscount].map((p) => [p.name, p as unknown as AmountRulePlugin<never>]),
);

/**
 * Runs the named plug-in with its parameters (validated by the plug-in's own schema).
 * @throws AppError AMOUNT_RULE_PLUGIN_UNKNOWN / AMOUNT_RULE_PLUGIN_PARAMS on a misconfigured payment type.
 */
export function runAmountRulePlugin(name: string, rawParams: unknown, ctx: AmountRuleContext): AmountRuleResult {
  const plugin = AMOUNT_RULE_PLUGINS.get(name) as AmountRulePlugin<unknown> | undefined;
  if (!plugin) throw new AppError("AMOUNT_RULE_PLUGIN_UNKNOWN", `Unknown amount-rule plug-in ${name}`, 500);
  const parsed = plugin.params.safeParse(rawParams ?? {});
  if (!parsed.success) {
    throw new AppError("AMOUNT_RULE_PLUGIN_PARAMS", `Bad parameters for plug-in ${name}: ${parsed.error.message}`, 500);
  }
  const result = plugin.currentAmount(ctx, parsed.data);
  if (!Number.isInteger(result.amountCents) || result.amountCents < 1) {
    throw new AppError("AMOUNT_RULE_PLUGIN_RESULT", `Plug-in ${name} returned ${result.amountCents}`, 500);
  }
  return result;
}
