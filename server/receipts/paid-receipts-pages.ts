import type { Database } from "../platform/db/database.ts";

/** A paid receipt with the debt it paid, as exports list it. */
export interface PaidReceiptRow {
  id: string;
  receiptId: string;
  nav: string;
  iuv: string;
  amountCents: number;
  paidAt: Date;
  pspId: string;
  pspName: string | null;
  externalId: string | null;
  subject: string | null;
  debtorType: string | null;
  debtorFiscalCode: string | null;
  debtorName: string | null;
  paymentTypeCode: string | null;
  /** The paid option's due date and installment number (null: single payment). */
  dueDate: Date | null;
  installmentNumber: number | null;
  /** The receipt's transfers as pagoPA sent them ({ index, amountCents, fiscalCodePA, iban, remittanceText, category }). */
  transfers: unknown;
  /** The position's free data (e.g. GovPay's idA2A and idDocumento for a GovPay import). */
  positionData: unknown;
}

/**
 * The council's successful receipts paid in [from, to), oldest first, in keyset pages: exports
 * stream them without holding a period's payments in memory. The payment instant is the PSP's
 * (paymentDateTime), else when the receipt arrived.
 */
export async function* paidReceiptPages(
  db: Database,
  tenantId: string,
  period: { from: Date; to: Date },
  pageSize = 2_000,
): AsyncGenerator<PaidReceiptRow[]> {
  let after: { at: Date; id: string } | null = null;
  for (;;) {
    const cursor: { at: Date; id: string } | null = after;
    const page: PaidReceiptRow[] = await db.withTenant(
      tenantId,
      (tx) =>
        tx.$queryRaw<PaidReceiptRow[]>`
        SELECT r.id::text AS "id", r.receipt_id AS "receiptId", r.nav, r.iuv, r.amount_cents AS "amountCents",
               coalesce(r.payment_date_time, r.received_at) AS "paidAt", r.psp_id AS "pspId", r.psp_name AS "pspName",
               p.external_id AS "externalId", p.subject, p.debtor_type::text AS "debtorType",
               p.debtor_fiscal_code AS "debtorFiscalCode", p.debtor_name AS "debtorName", t.code AS "paymentTypeCode",
               o.due_date AS "dueDate", o.installment_number::int AS "installmentNumber", r.transfers,
               p.data AS "positionData"
        FROM receipts r
        LEFT JOIN payment_options o ON o.tenant_id = r.tenant_id AND o.id = r.option_id
        LEFT JOIN debt_positions p ON p.tenant_id = o.tenant_id AND p.id = o.position_id
        LEFT JOIN payment_types t ON t.tenant_id = p.tenant_id AND t.id = p.payment_type_id
        WHERE r.tenant_id = ${tenantId}::uuid AND r.outcome = 'OK'
          AND coalesce(r.payment_date_time, r.received_at) >= ${period.from}
          AND coalesce(r.payment_date_time, r.received_at) < ${period.to}
          AND (${cursor === null}
               OR (coalesce(r.payment_date_time, r.received_at), r.id) > (${cursor?.at ?? period.from}, ${cursor?.id ?? "00000000-0000-0000-0000-000000000000"}::uuid))
        ORDER BY coalesce(r.payment_date_time, r.received_at), r.id
        LIMIT ${pageSize}`,
    );
    if (page.length > 0) yield page;
    if (page.length < pageSize) return;
    const last = page[page.length - 1]!;
    after = { at: last.paidAt, id: last.id };
  }
}
