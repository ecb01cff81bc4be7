import { Prisma } from "../generated/prisma/client.ts";
import type { Database } from "../platform/db/database.ts";
import { splitLinesSql } from "./accounting-split-lines.ts";
import type { ReconciliationPeriod } from "./reconciliation-period.ts";

/** One line of a totals table: what was collected, reported by the PSPs, credited in treasury. */
export interface TotalsRow {
  key: string | null;
  label: string | null;
  payments: number;
  collectedCents: number;
  reportedCents: number;
  creditedCents: number;
}

/** Codes of a payment whose receipt a current flow row reports (docs/reconciliation.md). */
export const REPORTED_CODES = ["IUD_RT_IUF_TES", "RT_IUF_TES", "IUD_RT_IUF", "RT_IUF", "IUF_TES_DIV_IMP"] as const;
/** Codes of a payment whose flow's credits add up in treasury. */
export const CREDITED_CODES = ["IUD_RT_IUF_TES", "RT_IUF_TES"] as const;

/**
 * The section's totals for a period of Rome days, read from the classifications (one row per
 * payment, computed by classifyPayments): collected = payments with an OK receipt, reported =
 * those a current flow row reports, credited = those whose flow the treasury credited in full.
 * By day, month, payment type and PSP on whole payments; by chapter/assessment on the accounting
 * split of each payment's transfers (accounting-split-lines.ts).
 */
export async function reconciliationTotals(db: Database, tenantId: string, period: ReconciliationPeriod) {
  return db.withTenant(tenantId, async (tx) => {
    const sums = (amount: Prisma.Sql) => Prisma.sql`
      count(DISTINCT pc.iuv)::int AS payments,
      coalesce(sum(${amount}) FILTER (WHERE pc.receipt_row_id IS NOT NULL), 0)::float8 AS "collectedCents",
      coalesce(sum(${amount}) FILTER (WHERE pc.code IN (${Prisma.join([...REPORTED_CODES])})), 0)::float8 AS "reportedCents",
      coalesce(sum(${amount}) FILTER (WHERE pc.code IN (${Prisma.join([...CREDITED_CODES])})), 0)::float8 AS "creditedCents"`;
    const payments = Prisma.sql`
      SELECT * FROM payment_classifications
      WHERE tenant_id = ${tenantId}::uuid AND subject_kind = 'PAYMENT'
        AND day BETWEEN ${period.dal}::date AND ${period.al}::date`;
    const by = (key: Prisma.Sql, label: Prisma.Sql, join = Prisma.empty) =>
      tx.$queryRaw<TotalsRow[]>`
        SELECT ${key} AS key, ${label} AS label, ${sums(Prisma.sql`pc.amount_cents`)}
        FROM (${payments}) pc ${join}
        GROUP BY 1, 2 ORDER BY 1 NULLS LAST`;
    const byDay = await by(Prisma.sql`to_char(pc.day, 'YYYY-MM-DD')`, Prisma.sql`NULL::text`);
    const byMonth = await by(Prisma.sql`to_char(pc.day, 'YYYY-MM')`, Prisma.sql`NULL::text`);
    const byPaymentType = await by(
      Prisma.sql`pt.code`,
      Prisma.sql`pt.name`,
      Prisma.sql`LEFT JOIN payment_types pt ON pt.tenant_id = pc.tenant_id AND pt.id = pc.payment_type_id`,
    );
    const byPsp = await by(Prisma.sql`pc.psp_id`, Prisma.sql`NULL::text`);
    const byChapter = await tx.$queryRaw<Array<TotalsRow & { assessment: string | null }>>`
      WITH sl AS (${splitLinesSql(tenantId, period)})
      SELECT sl.budget_chapter AS key, NULL::text AS label, sl.assessment,
             count(DISTINCT sl.iuv)::int AS payments,
             coalesce(sum(sl.amount_cents) FILTER (WHERE sl.receipt_row_id IS NOT NULL), 0)::float8 AS "collectedCents",
             coalesce(sum(sl.amount_cents) FILTER (WHERE sl.code IN (${Prisma.join([...REPORTED_CODES])})), 0)::float8 AS "reportedCents",
             coalesce(sum(sl.amount_cents) FILTER (WHERE sl.code IN (${Prisma.join([...CREDITED_CODES])})), 0)::float8 AS "creditedCents"
      FROM sl GROUP BY 1, 3 ORDER BY 1 NULLS LAST, 3 NULLS LAST`;
    const total = (rows: TotalsRow[]) => ({
      payments: rows.reduce((s, r) => s + r.payments, 0),
      collectedCents: rows.reduce((s, r) => s + r.collectedCents, 0),
      reportedCents: rows.reduce((s, r) => s + r.reportedCents, 0),
      creditedCents: rows.reduce((s, r) => s + r.creditedCents, 0),
    });
    return { byDay, byMonth, byPaymentType, byPsp, byChapter, total: total(byDay) };
  });
}
