import type { Database } from "../platform/db/database.ts";
import { classifyPayments } from "./classify-payments.ts";
import { recordAnomalies, resolveAnomalies } from "./anomalies.repository.ts";
import type { ReconciliationTenant } from "./ingest-reporting-flow.ts";
import { linkRowsToReceipts, updateReportedStatus } from "./match-reporting-rows.ts";

/**
 * What the schedule does besides fetching: rows that found no receipt are tried again (a receipt
 * may arrive after its flow), and paid receipts that no flow has reported `unreportedDays` after
 * the payment become RECEIPT_NOT_REPORTED anomalies (closed when their row arrives).
 */
export async function reconcilePending(
  db: Database,
  tenant: ReconciliationTenant,
  options: { unreportedDays: number; now?: Date },
): Promise<{ matched: number; unreported: number }> {
  const cutoff = new Date((options.now ?? new Date()).getTime() - options.unreportedDays * 86_400_000);
  return db.withTenant(
    tenant.id,
    async (tx) => {
      const linked = await linkRowsToReceipts(tx, tenant.id);
      if (linked.length) {
        await resolveAnomalies(
          tx,
          tenant.id,
          ["ROW_WITHOUT_RECEIPT", "AMOUNT_DIFFERS"],
          linked.map((l) => l.subject),
        );
        const ids = [...new Set(linked.map((l) => l.receiptRowId))];
        await updateReportedStatus(tx, tenant, ids);
        const receipts = await tx.receipt.findMany({ where: { id: { in: ids } }, select: { receiptId: true } });
        await resolveAnomalies(
          tx,
          tenant.id,
          ["RECEIPT_NOT_REPORTED"],
          receipts.map((r) => r.receiptId),
        );
      }
      // Receipts with a transfer to this council that no current flow row reports.
      const late = await tx.$queryRaw<Array<{ receiptId: string; iuv: string; paidAt: Date; amountCents: number }>>`
        SELECT rc.receipt_id AS "receiptId", rc.iuv, rc.payment_date_time AS "paidAt", rc.amount_cents AS "amountCents"
        FROM receipts rc
        WHERE rc.tenant_id = ${tenant.id}::uuid AND rc.outcome = 'OK' AND rc.payment_date_time < ${cutoff}
          AND EXISTS (SELECT 1 FROM jsonb_array_elements(rc.transfers) t
                      WHERE t->>'fiscalCodePA' = ${tenant.fiscalCode}
                        AND NOT EXISTS (SELECT 1 FROM reporting_rows r JOIN reporting_flows f
                                          ON f.tenant_id = r.tenant_id AND f.id = r.flow_record_id AND f.superseded_at IS NULL
                                        WHERE r.tenant_id = rc.tenant_id AND r.receipt_row_id = rc.id
                                          AND r.transfer_index = (t->>'index')::int))
          AND NOT EXISTS (SELECT 1 FROM reconciliation_anomalies a
                          WHERE a.tenant_id = rc.tenant_id AND a.kind = 'RECEIPT_NOT_REPORTED' AND a.subject = rc.receipt_id
                            AND a.resolved_at IS NULL)
        LIMIT 5000`;
      await recordAnomalies(
        tx,
        tenant.id,
        late.map((r) => ({
          kind: "RECEIPT_NOT_REPORTED" as const,
          subject: r.receiptId,
          iuv: r.iuv,
          receiptId: r.receiptId,
          details: { paidAt: r.paidAt.toISOString(), amountCents: r.amountCents, days: options.unreportedDays },
        })),
      );
      // Receipts and paid debts that arrived (or changed, or were linked) since their payment was
      // last classified.
      const fresh = await tx.$queryRaw<Array<{ iuv: string }>>`
        SELECT rc.iuv FROM receipts rc
        WHERE rc.tenant_id = ${tenant.id}::uuid AND rc.outcome = 'OK'
          AND NOT EXISTS (SELECT 1 FROM payment_classifications pc
                          WHERE pc.tenant_id = rc.tenant_id AND pc.subject_kind = 'PAYMENT' AND pc.subject = rc.iuv
                            AND pc.classified_at >= rc.received_at)
        UNION
        SELECT o.iuv FROM payment_options o
        WHERE o.tenant_id = ${tenant.id}::uuid AND o.status IN ('PAID', 'REPORTED')
          AND NOT EXISTS (SELECT 1 FROM payment_classifications pc
                          WHERE pc.tenant_id = o.tenant_id AND pc.subject_kind = 'PAYMENT' AND pc.subject = o.iuv
                            AND pc.classified_at >= o.updated_at)
        LIMIT 20000`;
      const linkedIuvs = linked.length
        ? await tx.receipt.findMany({ where: { id: { in: linked.map((l) => l.receiptRowId) } }, select: { iuv: true } })
        : [];
      const iuvs = [...new Set([...fresh, ...linkedIuvs].map((r) => r.iuv))];
      if (iuvs.length) await classifyPayments(tx, tenant.id, { iuvs });
      return { matched: linked.length, unreported: late.length };
    },
    { timeout: 60_000 },
  );
}
