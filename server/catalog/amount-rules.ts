import type { z } from "zod";
import { AppError } from "../platform/errors.ts";

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
 * They live in `tenants/plugins/` and reach the platform through `Deps.amountRules`.
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

/**
 * The amount-rule plug-ins this platform runs, by name: a payment type's
 * `amountRule: { kind: "plugin", plugin }` names one of them. Built once at start-up from the
 * list the composition root passes in, so a duplicate name fails the boot, not a payment.
 */
export class AmountRules {
  private readonly byName = new Map<string, AmountRulePlugin>();

  constructor(plugins: ReadonlyArray<AmountRulePlugin<never>> = []) {
    for (const plugin of plugins) {
      if (this.byName.has(plugin.name)) throw new Error(`Amount-rule plug-in ${plugin.name} is registered twice`);
      // The list is heterogeneous in its params type; each plug-in's own schema checks its params in run().
      this.byName.set(plugin.name, plugin as unknown as AmountRulePlugin);
    }
  }

  names(): string[] {
    return [...this.byName.keys()].sort();
  }

  /**
   * Runs the named plug-in with its parameters (validated by the plug-in's own schema).
   * @throws AppError AMOUNT_RULE_PLUGIN_UNKNOWN / AMOUNT_RULE_PLUGIN_PARAMS / AMOUNT_RULE_PLUGIN_RESULT
   * on a misconfigured payment type or a broken plug-in.
   */
  run(name: string, rawParams: unknown, ctx: AmountRuleContext): AmountRuleResult {
    const plugin = this.byName.get(name);
    if (!plugin) throw new AppError("AMOUNT_RULE_PLUGIN_UNKNOWN", `Unknown amount-rule plug-in ${name}`, 500);
    const parsed = plugin.params.safeParse(rawParams ?? {});
    if (!parsed.success) {
      throw new AppError(
        "AMOUNT_RULE_PLUGIN_PARAMS",
        `Bad parameters for plug-in ${name}: ${parsed.error.message}`,
        500,
      );
    }
    const result = plugin.currentAmount(ctx, parsed.data);
    if (!Number.isInteger(result.amountCents) || result.amountCents < 1) {
      throw new AppError("AMOUNT_RULE_PLUGIN_RESULT", `Plug-in ${name} returned ${result.amountCents}`, 500);
    }
    return result;
  }
}
