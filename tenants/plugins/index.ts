import type { AmountRulePlugin } from "../../server/catalog/amount-rules.ts";
import { trafficFineEarlyDiscount } from "./traffic-fine-early-discount.ts";

/**
 * Every amount-rule plug-in a payment type may name in `amountRule: { kind: "plugin" }`. The
 * composition root (`server/main.ts`) hands this list to the platform through `Deps.amountRules`;
 * adding a plug-in is one file here and one entry in this list.
 */
export const AMOUNT_RULE_PLUGINS: ReadonlyArray<AmountRulePlugin<never>> = [
  trafficFineEarlyDiscount as unknown as AmountRulePlugin<never>,
];
