import type { Database } from "../platform/db/database.ts";

/** An unpaid payment option of a published position, as the open-debts export lists it. */
export interface OpenOptionRow {
  id: string;
  externalId: string | null;
  paymentTypeCode: string | null;
  debtorType: string;
  debtorFiscalCode: string;
  debtorName: string;
  debtorEmail: string | null;
  debtorAddress: string | null;
  debtorPostalCode: string | null;
  debtorCity: string | null;
  debtorProvince: string | null;
  subject: string;
  installmentNumber: number | null;
  amountCents: number;
  dueDate: Date;
  nav: string;
  iuv: string;
  positionStatus: string;
}

/**
 * The council's open debts: every unpaid option of a published position that is not fully paid
 * (VALID, PARTIALLY_PAID, EXPIRED: an expired option may still be payable), optionally only
 * those due in [dueFrom, dueTo), in keyset pages by option id (uuid v7: creation order).
 */
export async function* openOptionPages(
  db: Database,
  tenantId: string,
  due: { from?: Date; to?: Date } = {},
  pageSize = 2_000,
): AsyncGenerator<OpenOptionRow[]> {
  let after = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    const cursor = after;
    const page = await db.withTenant(
      tenantId,
      (tx) => tx.$queryRaw<OpenOptionRow[]>`
        SELECT o.id::text AS "id", p.external_id AS "externalId", t.code AS "paymentTypeCode",
               p.debtor_type::text AS "debtorType", p.debtor_fiscal_code AS "debtorFiscalCode",
               p.debtor_name AS "debtorName", p.debtor_email AS "debtorEmail", p.debtor_address AS "debtorAddress",
               p.debtor_postal_code AS "debtorPostalCode", p.debtor_city AS "debtorCity",
               p.debtor_province AS "debtorProvince", p.subject, o.installment_number::int AS "installmentNumber",
               o.amount_cents AS "amountCents", o.due_date AS "dueDate", o.nav, o.iuv, p.status::text AS "positionStatus"
        FROM payment_options o
        JOIN debt_positions p ON p.tenant_id = o.tenant_id AND p.id = o.position_id
        LEFT JOIN payment_types t ON t.tenant_id = p.tenant_id AND t.id = p.payment_type_id
        WHERE o.tenant_id = ${tenantId}::uuid AND o.status = 'UNPAID'
          AND p.status IN ('VALID', 'PARTIALLY_PAID', 'EXPIRED')
          AND (${due.from ?? null}::timestamptz IS NULL OR o.due_date >= ${due.from ?? null}::timestamptz)
          AND (${due.to ?? null}::timestamptz IS NULL OR o.due_date < ${due.to ?? null}::timestamptz)
          AND o.id > ${cursor}::uuid
        ORDER BY o.id
        LIMIT ${pageSize}`,
    );
    if (page.length > 0) yield page;
    if (page.length < pageSize) return;
    after = page[page.length - 1]!.id;
  }
}
