import { Prisma } from "../generated/prisma/client.ts";
import type { Tx } from "../platform/db/database.ts";

/**
 * MyPivot's reconciliation outcomes as PontePA computes them (docs/reconciliation.md). IUD is
 * the debt (our payment option), RT the receipt, IUF the reporting flow row, TES the treasury
 * credit of that flow. `RT_TES` is not produced: pagoPA's money always reaches the treasury
 * through a reporting flow.
 */
export const CLASSIFICATION_CODES = [
  "IUD_RT_IUF_TES",
  "RT_IUF_TES",
  "IUD_RT_IUF",
  "RT_IUF",
  "IUF_TES_DIV_IMP",
  "RT_NO_IUF",
  "RT_NO_IUD",
  "IUV_NO_RT",
  "IUD_NO_RT",
  "IUF_NO_TES",
  "TES_NO_IUF_OR_IUV",
  "TES_NO_MATCH",
] as const;
export type ClassificationCode = (typeof CLASSIFICATION_CODES)[number];

/** Memory for the classification's sorts and hashes (100,000 payments sort in about 10 MB each). */
const CLASSIFY_WORK_MEM = "64MB";

/** What to classify again: everything, or the payments and flows a new fact touches. */
export type ClassificationScope = { all: true } | { iuvs?: string[]; flowIds?: string[] };

/**
 * Recomputes the classification of the council's payments, flows and credits within `scope`,
 * in the caller's transaction. Set-based SQL: a scope widens itself to every payment of the
 * flows named and every flow reporting the payments named, so a flow, receipt or credit that
 * arrives late re-classifies exactly what it changes. Credits without a flow match are few
 * (one per PSP and day at most) and are always recomputed.
 */
export async function classifyPayments(
  tx: Tx,
  tenantId: string,
  scope: ClassificationScope,
): Promise<{ payments: number; flows: number; credits: number }> {
  const t = tenantId;
  let iuvFilter: (col: Prisma.Sql) => Prisma.Sql;
  let flowFilter: (col: Prisma.Sql) => Prisma.Sql;
  if ("all" in scope) {
    iuvFilter = () => Prisma.sql`TRUE`;
    flowFilter = () => Prisma.sql`TRUE`;
  } else {
    const seedIuvs = scope.iuvs ?? [];
    const seedFlows = scope.flowIds ?? [];
    // Widen: flows reporting the payments named, payments of the flows named.
    const flows = await tx.$queryRaw<Array<{ flowId: string }>>`
      SELECT DISTINCT f.flow_id AS "flowId" FROM reporting_rows r
      JOIN reporting_flows f ON f.tenant_id = r.tenant_id AND f.id = r.flow_record_id AND f.superseded_at IS NULL
      WHERE r.tenant_id = ${t}::uuid AND r.iuv = ANY(${seedIuvs}::text[])`;
    const flowIds = [...new Set([...seedFlows, ...flows.map((f) => f.flowId)])];
    const rows = await tx.$queryRaw<Array<{ iuv: string }>>`
      SELECT DISTINCT r.iuv FROM reporting_rows r
      JOIN reporting_flows f ON f.tenant_id = r.tenant_id AND f.id = r.flow_record_id
      WHERE r.tenant_id = ${t}::uuid AND f.flow_id = ANY(${flowIds}::text[])`;
    const iuvs = [...new Set([...seedIuvs, ...rows.map((r) => r.iuv)])];
    iuvFilter = (col) => Prisma.sql`${col} = ANY(${iuvs}::text[])`;
    flowFilter = (col) => Prisma.sql`${col} = ANY(${flowIds}::text[])`;
  }

  const sql = classificationStatements(t, iuvFilter, flowFilter);
  const restore = await tuneForClassification(tx);
  await tx.$executeRaw(sql.remove);
  const payments = await tx.$executeRaw(sql.payments);
  const flows = await tx.$executeRaw(sql.flows);
  const credits = await tx.$executeRaw(sql.credits);
  await restore();
  return { payments, flows, credits };
}

/**
 * The four statements of a classification run, in order: remove the scope's codes, then write
 * payments', flows' and credits' codes. Exported for bench/reconciliation's EXPLAIN.
 */
export function classificationStatements(
  t: string,
  iuvFilter: (col: Prisma.Sql) => Prisma.Sql,
  flowFilter: (col: Prisma.Sql) => Prisma.Sql,
) {
  const remove = Prisma.sql`
    DELETE FROM payment_classifications
    WHERE tenant_id = ${t}::uuid
      AND ((subject_kind = 'PAYMENT' AND ${iuvFilter(Prisma.sql`subject`)})
        OR (subject_kind = 'FLOW' AND ${flowFilter(Prisma.sql`subject`)})
        OR subject_kind = 'CREDIT')`;

  // The treasury state of each current flow, by the matcher's rule (the credits naming a flow
  // add up to its total): NONE (no credit names it), MATCHED, or DIFF. Computed here rather than
  // read from the credits' status, which is only refreshed when the treasury side runs.
  const flowTes = Prisma.sql`
    SELECT f.id, f.flow_id, f.psp_id, f.settlement_date, f.rows_total_cents,
           CASE WHEN c.total IS NULL THEN 'NONE' WHEN c.total = f.rows_total_cents THEN 'MATCHED' ELSE 'DIFF' END AS tes
    FROM reporting_flows f
    LEFT JOIN (SELECT flow_id, sum(amount_cents) AS total FROM treasury_credits
               WHERE tenant_id = ${t}::uuid AND flow_id IS NOT NULL AND ${flowFilter(Prisma.sql`flow_id`)}
               GROUP BY flow_id) c ON c.flow_id = f.flow_id
    WHERE f.tenant_id = ${t}::uuid AND f.superseded_at IS NULL AND ${flowFilter(Prisma.sql`f.flow_id`)}`;

  const payments = Prisma.sql`
    WITH ft AS (${flowTes}),
    rc AS (SELECT DISTINCT ON (iuv) id, iuv, amount_cents, psp_id, payment_date_time
           FROM receipts WHERE tenant_id = ${t}::uuid AND outcome = 'OK' AND ${iuvFilter(Prisma.sql`iuv`)}
           ORDER BY iuv, received_at),
    rw AS (SELECT DISTINCT ON (r.iuv) r.iuv, r.receipt_row_id, r.amount_cents, ft.id AS flow_record_id,
                  ft.flow_id, ft.psp_id, ft.settlement_date, ft.tes
           FROM reporting_rows r JOIN ft ON ft.id = r.flow_record_id
           WHERE r.tenant_id = ${t}::uuid AND ${iuvFilter(Prisma.sql`r.iuv`)}
           ORDER BY r.iuv, (r.receipt_row_id IS NULL), r.transfer_index),
    op AS (SELECT o.id, o.iuv, o.status, o.amount_cents, o.paid_at, p.payment_type_id
           FROM payment_options o JOIN debt_positions p ON p.tenant_id = o.tenant_id AND p.id = o.position_id
           WHERE o.tenant_id = ${t}::uuid AND ${iuvFilter(Prisma.sql`o.iuv`)}),
    u AS (SELECT iuv FROM rc UNION SELECT iuv FROM rw UNION SELECT iuv FROM op WHERE status IN ('PAID', 'REPORTED'))
    INSERT INTO payment_classifications
      (id, tenant_id, subject_kind, subject, code, iuv, option_id, receipt_row_id, flow_record_id, flow_id,
       psp_id, payment_type_id, amount_cents, day)
    SELECT gen_random_uuid(), ${t}::uuid, 'PAYMENT', u.iuv,
      CASE
        WHEN rc.id IS NULL AND rw.iuv IS NOT NULL THEN 'IUV_NO_RT'
        WHEN rc.id IS NULL THEN 'IUD_NO_RT'
        WHEN rw.receipt_row_id IS DISTINCT FROM rc.id THEN CASE WHEN op.id IS NULL THEN 'RT_NO_IUD' ELSE 'RT_NO_IUF' END
        WHEN rw.tes = 'MATCHED' THEN CASE WHEN op.id IS NULL THEN 'RT_IUF_TES' ELSE 'IUD_RT_IUF_TES' END
        WHEN rw.tes = 'DIFF' THEN 'IUF_TES_DIV_IMP'
        ELSE CASE WHEN op.id IS NULL THEN 'RT_IUF' ELSE 'IUD_RT_IUF' END
      END,
      u.iuv, op.id, rc.id, rw.flow_record_id, rw.flow_id, coalesce(rc.psp_id, rw.psp_id), op.payment_type_id,
      coalesce(rc.amount_cents, rw.amount_cents, op.amount_cents),
      coalesce((coalesce(rc.payment_date_time, op.paid_at) AT TIME ZONE 'Europe/Rome')::date, rw.settlement_date,
               (now() AT TIME ZONE 'Europe/Rome')::date)
    FROM u LEFT JOIN rc ON rc.iuv = u.iuv LEFT JOIN rw ON rw.iuv = u.iuv LEFT JOIN op ON op.iuv = u.iuv`;

  const flows = Prisma.sql`
    INSERT INTO payment_classifications
      (id, tenant_id, subject_kind, subject, code, flow_record_id, flow_id, psp_id, amount_cents, day)
    SELECT gen_random_uuid(), ${t}::uuid, 'FLOW', ft.flow_id, 'IUF_NO_TES', ft.id, ft.flow_id, ft.psp_id,
           ft.rows_total_cents, ft.settlement_date
    FROM (${flowTes}) ft WHERE ft.tes = 'NONE'`;

  const credits = Prisma.sql`
    INSERT INTO payment_classifications
      (id, tenant_id, subject_kind, subject, code, flow_id, credit_id, amount_cents, day)
    SELECT gen_random_uuid(), ${t}::uuid, 'CREDIT', c.id::text,
           CASE WHEN c.flow_id IS NULL THEN 'TES_NO_MATCH' ELSE 'TES_NO_IUF_OR_IUV' END,
           c.flow_id, c.id, c.amount_cents, c.value_date
    FROM treasury_credits c
    WHERE c.tenant_id = ${t}::uuid
      AND (c.flow_id IS NULL OR NOT EXISTS (SELECT 1 FROM reporting_flows f WHERE f.tenant_id = c.tenant_id
                                            AND f.flow_id = c.flow_id AND f.superseded_at IS NULL))`;
  return { remove, payments, flows, credits };
}

/**
 * The planner cannot estimate the CTEs' joins (it guesses trillions of rows), so it would
 * JIT-compile the payments statement: seconds of LLVM for a query that runs in a few. Its sorts
 * and hashes over a council's payments also spill to disk at the default work_mem. Both are set
 * for the classification's statements; the returned function puts them back for the rest of the
 * caller's transaction.
 */
export async function tuneForClassification(tx: Tx): Promise<() => Promise<void>> {
  const [saved] = await tx.$queryRaw<Array<{ jit: string; workMem: string }>>`
    SELECT current_setting('jit') AS jit, current_setting('work_mem') AS "workMem",
           set_config('jit', 'off', true), set_config('work_mem', ${CLASSIFY_WORK_MEM}, true)`;
  return async () => {
    await tx.$queryRaw`SELECT set_config('jit', ${saved!.jit}, true), set_config('work_mem', ${saved!.workMem}, true)`;
  };
}
