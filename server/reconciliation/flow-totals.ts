import type { Tx } from "../platform/db/database.ts";

/**
 * The amount each named flow settles, by its current (not superseded) revision: what the PSP's
 * transfer to the treasury must carry. Flow ids missing from the map are not (yet) held.
 */
export async function currentFlowTotals(tx: Tx, tenantId: string, flowIds: string[]): Promise<Map<string, number>> {
  if (flowIds.length === 0) return new Map();
  const flows = await tx.reportingFlow.findMany({
    where: { tenantId, flowId: { in: flowIds }, supersededAt: null },
    select: { flowId: true, rowsTotalCents: true },
  });
  const totals = new Map<string, number>();
  for (const f of flows) totals.set(f.flowId, (totals.get(f.flowId) ?? 0) + f.rowsTotalCents);
  return totals;
}
