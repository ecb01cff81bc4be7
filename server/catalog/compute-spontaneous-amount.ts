import { parseEuroToCents } from "../pagopa/index.ts";
import { AppError } from "../platform/errors.ts";
import type { AmountRule } from "./payment-type.schema.ts";
import type { AmountRules } from "./amount-rules.ts";

/**
 * The amount of a spontaneous payment, from the payment type's rule and the validated form.
 * @throws AppError AMOUNT_NOT_ALLOWED when the citizen's choice or figure is outside the rule.
 */
export function computeSpontaneousAmount(
  rules: AmountRules,
  rule: AmountRule,
  values: Record<string, string | undefined>,
  now = new Date(),
): number {
  switch (rule.kind) {
    case "fixed":
      return rule.amountCents;
    case "choice": {
      const choice = rule.choices.find((c) => c.value === values[rule.field]);
      if (!choice) throw new AppError("AMOUNT_NOT_ALLOWED", "Scegli una delle voci proposte", 422);
      return choice.amountCents;
    }
    case "range": {
      const raw = values[rule.field];
      if (!raw) throw new AppError("AMOUNT_NOT_ALLOWED", "Indica l'importo", 422);
      const cents = parseEuroToCents(raw);
      if (cents < rule.minCents || cents > rule.maxCents) {
        throw new AppError("AMOUNT_NOT_ALLOWED", "L'importo è fuori dai limiti previsti", 422);
      }
      return cents;
    }
    case "plugin":
      return rules.run(rule.plugin, rule.params, { baseAmountCents: 0, now, positionData: values, optionDueDate: now })
        .amountCents;
  }
}

/**
 * Splits an amount over the payment type's default transfers by their shares (basis points);
 * the rounding remainder goes to the first transfer so the parts always add up.
 */
export function splitByShares(amountCents: number, shares: number[]): number[] {
  const total = shares.reduce((s, b) => s + b, 0);
  if (total !== 10_000) throw new AppError("TRANSFER_SHARES", "Transfer shares must add up to 100%", 500);
  const parts = shares.map((b) => Math.floor((amountCents * b) / 10_000));
  parts[0] = parts[0]! + (amountCents - parts.reduce((s, p) => s + p, 0));
  if (parts.some((p) => p < 1))
    throw new AppError("AMOUNT_TOO_SMALL", "Importo troppo basso per essere ripartito", 422);
  return parts;
}
