import type { AccountingLine } from "./position.schema.ts";

/** What a payment type says about the budget by default (catalog: capitolo, accertamento). */
export interface AccountingDefaults {
  accountingChapter: string | null;
  defaultAssessment: string | null;
}

/**
 * A transfer's budget chapter and assessment as stored: what the caller sent (API, import's
 * `bilancio`), else the payment type's defaults. Frozen on the transfer so that a later change
 * of the type's defaults does not move money already collected onto another chapter.
 */
export function transferAccounting(
  t: { budgetChapter?: string; assessment?: string; accountingLines?: AccountingLine[] },
  type: AccountingDefaults | null | undefined,
): { budgetChapter: string | null; assessment: string | null; accountingLines: AccountingLine[] } {
  const lines = t.accountingLines ?? [];
  // A bilancio of one line is the transfer's chapter itself.
  const [only] = lines.length === 1 ? lines : [];
  return {
    budgetChapter: t.budgetChapter ?? only?.budgetChapter ?? type?.accountingChapter ?? null,
    assessment: t.assessment ?? only?.assessment ?? type?.defaultAssessment ?? null,
    accountingLines: lines.length > 1 ? lines : [],
  };
}
