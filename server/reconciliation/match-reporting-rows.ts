import { Prisma } from "../generated/prisma/client.ts";
import type { Tx } from "../platform/db/database.ts";

/**
 * The matching of flow rows to receipts and what follows from it, in SQL over the council's
 * rows (RLS scope of the caller's transaction). A row matches the paid receipt with its IUV and
 * IUR (the receipt id) whose transfer of the row's index has the row's amount.
 */

/** Links the unmatched rows of current (not superseded) flows, or only of `flowRecordIds`. */
export async function linkRowsToReceipts(
  tx: Tx,
  tenantId: string,
  flowRecordIds?: string[],
): Promise<Array<{ receiptRowId: string; subject: string }>> {
  const only = flowRecordIds ? Prisma.sql`AND r.flow_record_id = ANY(${flowRecordIds}::uuid[])` : Prisma.empty;
  return tx.$queryRaw`
    UPDATE reporting_rows r SET receipt_row_id = rc.id
    FROM receipts rc, reporting_flows f
    WHERE r.tenant_id = ${tenantId}::uuid AND r.receipt_row_id IS NULL ${only}
      AND f.tenant_id = r.tenant_id AND f.id = r.flow_record_id AND f.superseded_at IS NULL
      AND rc.tenant_id = r.tenant_id AND rc.iuv = r.iuv AND rc.receipt_id = r.iur AND rc.outcome = 'OK'
      AND EXISTS (SELECT 1 FROM jsonb_array_elements(rc.transfers) t
                  WHERE (t->>'index')::int = r.transfer_index AND (t->>'amountCents')::int = r.amount_cents)
    RETURNING rc.id AS "receiptRowId", f.psp_id || '/' || f.flow_id || '/r' || f.revision || '/' || r.position AS subject`;
}

/** Rows of the given flows still without a receipt, with whether a receipt has their IUV and IUR. */
export async function unmatchedRows(tx: Tx, tenantId: string, flowRecordIds: string[]) {
  return tx.$queryRaw<
    Array<{
      flowRecordId: string;
      position: number;
      iuv: string;
      iur: string;
      transferIndex: number;
      amountCents: number;
      outcomeCode: number;
      receiptFound: boolean;
    }>
  >`
    SELECT r.flow_record_id AS "flowRecordId", r.position, r.iuv, r.iur, r.transfer_index AS "transferIndex",
           r.amount_cents AS "amountCents", r.outcome_code AS "outcomeCode",
           EXISTS (SELECT 1 FROM receipts rc WHERE rc.tenant_id = r.tenant_id AND rc.iuv = r.iuv AND rc.receipt_id = r.iur) AS "receiptFound"
    FROM reporting_rows r
    WHERE r.tenant_id = ${tenantId}::uuid AND r.receipt_row_id IS NULL AND r.flow_record_id = ANY(${flowRecordIds}::uuid[])
    ORDER BY r.flow_record_id, r.position`;
}

// A receipt is reported when every transfer of it paid to this council has a matched row in a
// current flow (transfers to other councils are reported in their flows).
const fullyReported = (cf: string) => Prisma.sql`
  NOT EXISTS (
    SELECT 1 FROM jsonb_array_elements(rc.transfers) t
    WHERE t->>'fiscalCodePA' = ${cf}
      AND NOT EXISTS (SELECT 1 FROM reporting_rows r JOIN reporting_flows f
                        ON f.tenant_id = r.tenant_id AND f.id = r.flow_record_id AND f.superseded_at IS NULL
                      WHERE r.tenant_id = rc.tenant_id AND r.receipt_row_id = rc.id
                        AND r.transfer_index = (t->>'index')::int))`;

/**
 * Sets options REPORTED whose receipt is fully reported, and back to PAID those that no longer
 * are (a revision dropped their row); then positions REPORTED when none of their options is
 * still only PAID, and back to PAID when one is again. Limited to the receipts named.
 */
export async function updateReportedStatus(
  tx: Tx,
  tenant: { id: string; fiscalCode: string },
  receiptRowIds: string[],
): Promise<{ reported: number; unreported: number }> {
  if (receiptRowIds.length === 0) return { reported: 0, unreported: 0 };
  const t = tenant.id;
  const ids = receiptRowIds;
  const reported = await tx.$executeRaw`
    UPDATE payment_options o SET status = 'REPORTED', updated_at = now()
    FROM receipts rc
    WHERE rc.tenant_id = ${t}::uuid AND rc.id = ANY(${ids}::uuid[]) AND rc.outcome = 'OK'
      AND o.tenant_id = rc.tenant_id AND o.id = rc.option_id AND o.status = 'PAID'
      AND ${fullyReported(tenant.fiscalCode)}`;
  const unreported = await tx.$executeRaw`
    UPDATE payment_options o SET status = 'PAID', updated_at = now()
    FROM receipts rc
    WHERE rc.tenant_id = ${t}::uuid AND rc.id = ANY(${ids}::uuid[])
      AND o.tenant_id = rc.tenant_id AND o.id = rc.option_id AND o.status = 'REPORTED'
      AND NOT ${fullyReported(tenant.fiscalCode)}`;
  const positions = Prisma.sql`
    SELECT o.position_id FROM payment_options o JOIN receipts rc ON rc.tenant_id = o.tenant_id AND rc.option_id = o.id
    WHERE rc.tenant_id = ${t}::uuid AND rc.id = ANY(${ids}::uuid[])`;
  await tx.$executeRaw`
    UPDATE debt_positions p SET status = 'REPORTED', updated_at = now()
    WHERE p.tenant_id = ${t}::uuid AND p.status = 'PAID' AND p.id IN (${positions})
      AND EXISTS (SELECT 1 FROM payment_options o WHERE o.tenant_id = p.tenant_id AND o.position_id = p.id AND o.status = 'REPORTED')
      AND NOT EXISTS (SELECT 1 FROM payment_options o WHERE o.tenant_id = p.tenant_id AND o.position_id = p.id AND o.status = 'PAID')`;
  await tx.$executeRaw`
    UPDATE debt_positions p SET status = 'PAID', updated_at = now()
    WHERE p.tenant_id = ${t}::uuid AND p.status = 'REPORTED' AND p.id IN (${positions})
      AND EXISTS (SELECT 1 FROM payment_options o WHERE o.tenant_id = p.tenant_id AND o.position_id = p.id AND o.status = 'PAID')`;
  return { reported, unreported };
}
