import type { Tx } from "../platform/db/database.ts";
import { currentFlowTotals } from "../reconciliation/index.ts";

export const CREDIT_STATUSES = ["MATCHED", "AMOUNT_MISMATCH", "FLOW_NOT_FOUND", "NO_PAGOPA_REFERENCE"] as const;
export type CreditStatus = (typeof CREDIT_STATUSES)[number];

/**
 * Matches the council's credits that name a flow and are not yet matched: the credits of one
 * flow (a transfer, and a reversal if the bank made one) must add up to the flow's total. A flow
 * not held yet leaves its credits FLOW_NOT_FOUND until a later run finds it.
 */
export async function matchTreasuryCredits(tx: Tx, tenantId: string): Promise<Record<CreditStatus, number>> {
  const open = await tx.treasuryCredit.findMany({
    where: { tenantId, flowId: { not: null }, status: { not: "MATCHED" } },
    select: { flowId: true },
    distinct: ["flowId"],
  });
  const flowIds = open.map((o) => o.flowId!);
  const totals = await currentFlowTotals(tx, tenantId, flowIds);
  const sums = await tx.treasuryCredit.groupBy({
    by: ["flowId"],
    where: { tenantId, flowId: { in: flowIds } },
    _sum: { amountCents: true },
  });
  const counts: Record<CreditStatus, number> = {
    MATCHED: 0,
    AMOUNT_MISMATCH: 0,
    FLOW_NOT_FOUND: 0,
    NO_PAGOPA_REFERENCE: 0,
  };
  for (const s of sums) {
    const total = totals.get(s.flowId!);
    const status: CreditStatus =
      total === undefined ? "FLOW_NOT_FOUND" : total === (s._sum.amountCents ?? 0) ? "MATCHED" : "AMOUNT_MISMATCH";
    const { count } = await tx.treasuryCredit.updateMany({ where: { tenantId, flowId: s.flowId }, data: { status } });
    counts[status] += count;
  }
  return counts;
}
