import { amountRuleSchema, type AmountRules } from "../catalog/index.ts";
import { AppError } from "../platform/errors.ts";

export interface AmountTransfer {
  amountCents: number;
  /** Stamp (@e.bollo) transfers carry a fixed duty and are never rescaled. */
  isStamp: boolean;
}

export interface CurrentAmount {
  amountCents: number;
  /** Per-transfer amounts in the order given, summing to `amountCents`. */
  transferCents: number[];
  note?: string;
}

/**
 * The amount due now for an option. Only `plugin` rules change the amount of an existing
 * notice (fixed/choice/range rules decide the amount when a spontaneous position is created).
 * When the amount changes, the non-stamp transfers are rescaled in proportion and the rounding
 * remainder goes to the first of them, so the transfers always add up to the amount asked.
 */
export function currentAmount(
  rules: AmountRules,
  input: {
    baseAmountCents: number;
    transfers: AmountTransfer[];
    amountRule: unknown;
    positionData: unknown;
    optionDueDate: Date;
    now: Date;
  },
): CurrentAmount {
  const base = { amountCents: input.baseAmountCents, transferCents: input.transfers.map((t) => t.amountCents) };
  if (input.amountRule === null || input.amountRule === undefined) return base;
  const rule = amountRuleSchema.safeParse(input.amountRule);
  if (!rule.success) throw new AppError("AMOUNT_RULE_INVALID", "The payment type's amount rule is not valid", 500);
  if (rule.data.kind !== "plugin") return base;
  const data =
    input.positionData && typeof input.positionData === "object" ? (input.positionData as Record<string, unknown>) : {};
  const result = rules.run(rule.data.plugin, rule.data.params, {
    baseAmountCents: input.baseAmountCents,
    now: input.now,
    positionData: data,
    optionDueDate: input.optionDueDate,
  });
  if (result.amountCents === input.baseAmountCents) return { ...base, note: result.note };
  return {
    amountCents: result.amountCents,
    transferCents: rescale(input.transfers, result.amountCents),
    note: result.note,
  };
}

function rescale(transfers: AmountTransfer[], target: number): number[] {
  const fixed = transfers.filter((t) => t.isStamp).reduce((s, t) => s + t.amountCents, 0);
  const scalable = transfers.filter((t) => !t.isStamp).reduce((s, t) => s + t.amountCents, 0);
  const room = target - fixed;
  if (scalable === 0 || room < transfers.filter((t) => !t.isStamp).length) {
    throw new AppError("AMOUNT_RULE_RESULT", `Cannot spread ${target} cents over the transfers`, 500);
  }
  const out = transfers.map((t) =>
    t.isStamp ? t.amountCents : Math.max(1, Math.floor((t.amountCents * room) / scalable)),
  );
  const first = transfers.findIndex((t) => !t.isStamp);
  out[first] = out[first]! + (target - out.reduce((s, c) => s + c, 0));
  return out;
}
