import type { Database } from "../platform/db/database.ts";

export interface CreditRow {
  id: string;
  valueDate: Date;
  amountCents: number;
  description: string;
  flowId: string | null;
  status: string;
}

/**
 * The treasury side of reconciliation: credits naming a flow with their match, credits without
 * a pagoPA reference (listed apart), and current flows no credit has paid yet. Read-only.
 */
export async function treasuryOverview(db: Database, tenantId: string, options: { limit?: number } = {}) {
  const take = options.limit ?? 200;
  return db.withTenant(tenantId, async (tx) => {
    const select = { id: true, valueDate: true, amountCents: true, description: true, flowId: true, status: true };
    const pagopa = await tx.treasuryCredit.findMany({
      where: { tenantId, flowId: { not: null } },
      orderBy: [{ valueDate: "desc" }, { flowId: "asc" }],
      select,
      take,
    });
    const other = await tx.treasuryCredit.findMany({
      where: { tenantId, flowId: null },
      orderBy: { valueDate: "desc" },
      select,
      take,
    });
    const flowsWithoutCredit = await tx.$queryRaw<
      Array<{ flowId: string; pspId: string; settlementDate: Date; rowsTotalCents: number }>
    >`
      SELECT f.flow_id AS "flowId", f.psp_id AS "pspId", f.settlement_date AS "settlementDate", f.rows_total_cents AS "rowsTotalCents"
      FROM reporting_flows f
      WHERE f.tenant_id = ${tenantId}::uuid AND f.superseded_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM treasury_credits c WHERE c.tenant_id = f.tenant_id AND c.flow_id = f.flow_id)
      ORDER BY f.settlement_date DESC, f.flow_id
      LIMIT ${take}`;
    const imports = await tx.treasuryImport.findMany({
      where: { tenantId },
      orderBy: { importedAt: "desc" },
      take: 20,
    });
    return { pagopa, other, flowsWithoutCredit, imports };
  });
}
