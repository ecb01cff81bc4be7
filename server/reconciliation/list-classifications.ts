import { Prisma } from "../generated/prisma/client.ts";
import type { Database } from "../platform/db/database.ts";
import type { ClassificationQuery } from "./reconciliation-period.ts";

export interface ClassificationRow {
  subjectKind: string;
  subject: string;
  code: string;
  iuv: string | null;
  nav: string | null;
  receiptId: string | null;
  flowId: string | null;
  creditId: string | null;
  pspId: string | null;
  paymentTypeCode: string | null;
  amountCents: number;
  day: Date;
}

export const CLASSIFICATIONS_PAGE_SIZE = 50;
const EXPORT_PAGE = 2_000;

function rowsSql(tenantId: string, q: ClassificationQuery, limit: number, offset: number) {
  return Prisma.sql`
    SELECT pc.subject_kind AS "subjectKind", pc.subject, pc.code, pc.iuv, o.nav, r.receipt_id AS "receiptId",
           pc.flow_id AS "flowId", pc.credit_id AS "creditId", pc.psp_id AS "pspId", pt.code AS "paymentTypeCode",
           pc.amount_cents AS "amountCents", pc.day
    FROM payment_classifications pc
    LEFT JOIN payment_options o ON o.tenant_id = pc.tenant_id AND o.id = pc.option_id
    LEFT JOIN receipts r ON r.tenant_id = pc.tenant_id AND r.id = pc.receipt_row_id
    LEFT JOIN payment_types pt ON pt.tenant_id = pc.tenant_id AND pt.id = pc.payment_type_id
    WHERE ${where(tenantId, q)}
    ORDER BY pc.day DESC, pc.subject_kind, pc.subject
    LIMIT ${limit} OFFSET ${offset}`;
}

const where = (tenantId: string, q: ClassificationQuery) => Prisma.sql`
  pc.tenant_id = ${tenantId}::uuid AND pc.day BETWEEN ${q.dal}::date AND ${q.al}::date
  ${q.codice ? Prisma.sql`AND pc.code = ${q.codice}` : Prisma.empty}`;

/** One page of the period's classifications (payments, flows, credits), optionally of one code. */
export async function listClassifications(db: Database, tenantId: string, q: ClassificationQuery) {
  return db.withTenant(tenantId, async (tx) => {
    const [{ total, totalCents }] = await tx.$queryRaw<[{ total: number; totalCents: number }]>`
      SELECT count(*)::int AS total, coalesce(sum(pc.amount_cents), 0)::float8 AS "totalCents"
      FROM payment_classifications pc WHERE ${where(tenantId, q)}`;
    const pages = Math.max(1, Math.ceil(total / CLASSIFICATIONS_PAGE_SIZE));
    const page = Math.min(q.pagina, pages);
    const rows = await tx.$queryRaw<ClassificationRow[]>(
      rowsSql(tenantId, q, CLASSIFICATIONS_PAGE_SIZE, (page - 1) * CLASSIFICATIONS_PAGE_SIZE),
    );
    const byCode = await tx.$queryRaw<Array<{ code: string; count: number; amountCents: number }>>`
      SELECT pc.code, count(*)::int AS count, sum(pc.amount_cents)::float8 AS "amountCents"
      FROM payment_classifications pc
      WHERE pc.tenant_id = ${tenantId}::uuid AND pc.day BETWEEN ${q.dal}::date AND ${q.al}::date
      GROUP BY pc.code ORDER BY pc.code`;
    return { rows, total, totalCents, page, pages, byCode };
  });
}

/** Every classification of the query, page by page, for the exports. */
export async function* classificationPages(
  db: Database,
  tenantId: string,
  q: ClassificationQuery,
): AsyncGenerator<ClassificationRow[]> {
  for (let offset = 0; ; offset += EXPORT_PAGE) {
    const page = await db.withTenant(tenantId, (tx) =>
      tx.$queryRaw<ClassificationRow[]>(rowsSql(tenantId, q, EXPORT_PAGE, offset)),
    );
    if (page.length > 0) yield page;
    if (page.length < EXPORT_PAGE) return;
  }
}
