import type { Database } from "../platform/db/database.ts";

export interface FlowSummary {
  id: string;
  flowId: string;
  pspId: string;
  revision: number;
  format: string;
  flowDate: Date;
  settlementId: string;
  settlementDate: Date;
  rowsCount: number;
  rowsTotalCents: number;
  matchedRows: number;
  declaredCount: number;
  declaredTotalCents: number;
  superseded: boolean;
}

export interface AnomalySummary {
  id: string;
  kind: string;
  flowId: string | null;
  iuv: string | null;
  receiptId: string | null;
  details: Record<string, unknown>;
  createdAt: Date;
}

/**
 * The council's reporting flows (newest settlement first, superseded revisions included and
 * marked) with how many rows found their receipt, and the open anomalies. Read-only.
 */
export async function listReconciliation(
  db: Database,
  tenantId: string,
  options: { limit?: number } = {},
): Promise<{ flows: FlowSummary[]; anomalies: AnomalySummary[] }> {
  const take = options.limit ?? 200;
  return db.withTenant(tenantId, async (tx) => {
    const flows = await tx.reportingFlow.findMany({
      where: { tenantId },
      orderBy: [{ settlementDate: "desc" }, { flowId: "asc" }, { revision: "desc" }],
      take,
    });
    const matched = await tx.reportingRow.groupBy({
      by: ["flowRecordId"],
      where: { tenantId, flowRecordId: { in: flows.map((f) => f.id) }, receiptRowId: { not: null } },
      _count: { _all: true },
    });
    const byFlow = new Map(matched.map((m) => [m.flowRecordId, m._count._all]));
    const anomalies = await tx.reconciliationAnomaly.findMany({
      where: { tenantId, resolvedAt: null },
      orderBy: { createdAt: "desc" },
      take,
    });
    return {
      flows: flows.map((f) => ({
        id: f.id,
        flowId: f.flowId,
        pspId: f.pspId,
        revision: f.revision,
        format: f.format,
        flowDate: f.flowDate,
        settlementId: f.settlementId,
        settlementDate: f.settlementDate,
        rowsCount: f.rowsCount,
        rowsTotalCents: f.rowsTotalCents,
        matchedRows: byFlow.get(f.id) ?? 0,
        declaredCount: f.declaredCount,
        declaredTotalCents: f.declaredTotalCents,
        superseded: f.supersededAt !== null,
      })),
      anomalies: anomalies.map((a) => ({
        id: a.id,
        kind: a.kind,
        flowId: a.flowId,
        iuv: a.iuv,
        receiptId: a.receiptId,
        details: a.details as Record<string, unknown>,
        createdAt: a.createdAt,
      })),
    };
  });
}
