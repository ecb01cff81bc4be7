import type { Database } from "../platform/db/database.ts";
import { AppError } from "../platform/errors.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One treasury credit with what it is matched to: its import, the manual match if any, the
 * current flow it names (with the flow's total and the other credits naming it), and the
 * council's current flows no credit names yet (the candidates for a manual match).
 * @throws AppError NOT_FOUND for a credit the council does not hold
 */
export async function treasuryCreditDetail(db: Database, tenantId: string, creditId: string) {
  if (!UUID.test(creditId)) throw new AppError("NOT_FOUND", "Accredito non trovato", 404);
  return db.withTenant(tenantId, async (tx) => {
    const credit = await tx.treasuryCredit.findFirst({
      where: { tenantId, id: creditId },
      include: { import: { select: { fileName: true, format: true, importedAt: true } } },
    });
    if (!credit) throw new AppError("NOT_FOUND", "Accredito non trovato", 404);
    const flow = credit.flowId
      ? await tx.reportingFlow.findFirst({ where: { tenantId, flowId: credit.flowId, supersededAt: null } })
      : null;
    const siblings = credit.flowId
      ? await tx.treasuryCredit.findMany({
          where: { tenantId, flowId: credit.flowId, id: { not: credit.id } },
          select: { id: true, valueDate: true, amountCents: true },
        })
      : [];
    const candidates = await tx.$queryRaw<
      Array<{ flowId: string; pspId: string; settlementDate: Date; rowsTotalCents: number }>
    >`
      SELECT f.flow_id AS "flowId", f.psp_id AS "pspId", f.settlement_date AS "settlementDate", f.rows_total_cents AS "rowsTotalCents"
      FROM reporting_flows f
      WHERE f.tenant_id = ${tenantId}::uuid AND f.superseded_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM treasury_credits c WHERE c.tenant_id = f.tenant_id AND c.flow_id = f.flow_id)
      ORDER BY abs(f.rows_total_cents - ${credit.amountCents}), f.settlement_date DESC
      LIMIT 20`;
    const manual = credit.manualMatch as { flowId: string; reason: string; by: string; at: string } | null;
    return {
      credit: { ...credit, manualMatch: manual },
      flow: flow && {
        flowId: flow.flowId,
        pspId: flow.pspId,
        settlementDate: flow.settlementDate,
        rowsTotalCents: flow.rowsTotalCents,
      },
      siblings,
      candidates,
    };
  });
}
