import { Prisma } from "../generated/prisma/client.ts";
import type { Database } from "../platform/db/database.ts";
import type { ReconciliationPeriod } from "./reconciliation-period.ts";

/** One line of the accounting split: a part of a collected payment on a chapter/assessment. */
export interface SplitLine {
  iuv: string;
  code: string;
  day: Date;
  pspId: string | null;
  nav: string | null;
  receiptId: string | null;
  paymentDateTime: Date | null;
  transferIndex: number | null;
  budgetChapter: string | null;
  office: string | null;
  assessment: string | null;
  amountCents: number;
  paymentTypeCode: string | null;
  externalId: string | null;
  debtorType: string | null;
  debtorFiscalCode: string | null;
  debtorName: string | null;
  subject: string | null;
}

/**
 * The split of the period's collected payments (classified with an OK receipt) onto the
 * council's budget: one line per transfer of the paid option, or per line of a transfer's
 * `accounting_lines` (MyPay bilancio, API). A transfer without its own chapter/assessment takes
 * the payment type's current defaults (transfers made before the split existed, counter and
 * portal payments); a receipt with no debt of ours is one line without chapter.
 */
export function splitLinesSql(tenantId: string, period: ReconciliationPeriod): Prisma.Sql {
  return Prisma.sql`
    SELECT pc.iuv, pc.code, pc.day, pc.psp_id, pc.receipt_row_id, o.nav, r.receipt_id, r.payment_date_time,
      t.index AS transfer_index, l.n AS line_number,
      CASE WHEN l.n IS NOT NULL THEN l."budgetChapter" ELSE coalesce(t.budget_chapter, pt.accounting_chapter) END AS budget_chapter,
      l.office,
      CASE WHEN l.n IS NOT NULL THEN l.assessment ELSE coalesce(t.assessment, pt.default_assessment) END AS assessment,
      coalesce(l."amountCents", t.amount_cents, pc.amount_cents) AS amount_cents,
      pt.code AS payment_type_code, p.external_id, p.debtor_type, p.debtor_fiscal_code, p.debtor_name, p.subject
    FROM payment_classifications pc
    LEFT JOIN receipts r ON r.tenant_id = pc.tenant_id AND r.id = pc.receipt_row_id
    LEFT JOIN payment_options o ON o.tenant_id = pc.tenant_id AND o.id = pc.option_id
    LEFT JOIN debt_positions p ON p.tenant_id = o.tenant_id AND p.id = o.position_id
    LEFT JOIN payment_types pt ON pt.tenant_id = pc.tenant_id AND pt.id = pc.payment_type_id
    LEFT JOIN transfers t ON t.tenant_id = o.tenant_id AND t.option_id = o.id
    LEFT JOIN LATERAL (
      SELECT e.value->>'budgetChapter' AS "budgetChapter", e.value->>'office' AS office,
             e.value->>'assessment' AS assessment, (e.value->>'amountCents')::int AS "amountCents", e.n
      FROM jsonb_array_elements(CASE WHEN jsonb_array_length(t.accounting_lines) > 0 THEN t.accounting_lines END)
        WITH ORDINALITY AS e(value, n)) l ON true
    WHERE pc.tenant_id = ${tenantId}::uuid AND pc.subject_kind = 'PAYMENT' AND pc.receipt_row_id IS NOT NULL
      AND pc.day BETWEEN ${period.dal}::date AND ${period.al}::date`;
}

const PAGE = 2_000;

/** The period's split lines, page by page (day, IUV, transfer, line), for the exports. */
export async function* splitLinePages(
  db: Database,
  tenantId: string,
  period: ReconciliationPeriod,
): AsyncGenerator<SplitLine[]> {
  for (let offset = 0; ; offset += PAGE) {
    const page = await db.withTenant(
      tenantId,
      (tx) => tx.$queryRaw<SplitLine[]>`
        SELECT iuv, code, day, psp_id AS "pspId", nav, receipt_id AS "receiptId", payment_date_time AS "paymentDateTime",
               transfer_index AS "transferIndex", budget_chapter AS "budgetChapter", office, assessment,
               amount_cents AS "amountCents", payment_type_code AS "paymentTypeCode", external_id AS "externalId",
               debtor_type AS "debtorType", debtor_fiscal_code AS "debtorFiscalCode", debtor_name AS "debtorName", subject
        FROM (${splitLinesSql(tenantId, period)}) sl
        ORDER BY day, iuv, transfer_index NULLS FIRST, line_number NULLS FIRST
        LIMIT ${PAGE} OFFSET ${offset}`,
    );
    if (page.length > 0) yield page;
    if (page.length < PAGE) return;
  }
}
