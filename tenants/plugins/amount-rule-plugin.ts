import type { z } from "zod";

/** What an amount-rule plug-in may look at: the stored (base) amount and the position's data. */
export interface AmountRuleContext {
  /** The amount stored on the payment option, in euro cents. */
  baseAmountCents: number;
  /** When the amount is asked for (a verify, an activation). */
  now: Date;
  /** Free data of the position (e.g. `notifiedAt` of a traffic fine). */
  positionData: Record<string, unknown>;
  optionDueDate: Date;
}

export interface AmountRuleResult {
  amountCents: number;
  /** Short Italian text explaining a change (shown in the verify description when set). */
  note?: string;
}

/**
 * A typed hook that computes the amount due now from the stored amount. Plug-ins are pure: no
 * I/O, no clock of their own (`now` is given), so the Nodo answers stay fast and testable.
 */
export interface AmountRulePlugin<P = unknown> {
  name: string;
  description: string;
  params: z.ZodType<P>;
  currentAmount(ctx: AmountRuleContext, params: P): AmountRuleResult;
}

/** Identity helper keeping the params type tied to its schema. */
export function defineAmountRulePlugin<S extends z.ZodType>(plugin: AmountRulePlugin<z.output<S>> & { params: S }) {
  return plugin;
}
