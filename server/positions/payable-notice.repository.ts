import type { DebtPosition, PaymentOption, Prisma, Transfer } from "../generated/prisma/client.ts";
import type { Tx } from "../platform/db/database.ts";
import { FastTx, type Call, type Row, type Statement } from "../platform/db/fast-sql.ts";

/** Everything the Nodo operations need about one notice (payment option) in a single read. */
export const noticeInclude = {
  transfers: { orderBy: { index: "asc" } },
  position: {
    include: {
      paymentType: { select: { code: true, amountRule: true } },
      options: { select: { id: true, kind: true, status: true, paymentToken: true, lockedUntil: true } },
    },
  },
} satisfies Prisma.PaymentOptionInclude;

export type NoticeRecord = Prisma.PaymentOptionGetPayload<{ include: typeof noticeInclude }>;

/**
 * The scalar columns of each level of `NoticeRecord`, typed so that a column added to the Prisma
 * model fails the build here until the one-statement read carries it too. The SQL below is built
 * from these lists once, with camelCase keys, so a row arrives already in the ORM's shape.
 */
const columnsOf =
  <M>() =>
  <const L extends readonly (keyof M)[]>(
    list: L & (Exclude<keyof M, L[number]> extends never ? unknown : { missing: Exclude<keyof M, L[number]> }),
  ) =>
    list;
const optionColumns = columnsOf<PaymentOption>()([
  "id",
  "tenantId",
  "positionId",
  "kind",
  "installmentNumber",
  "installmentCount",
  "nav",
  "iuv",
  "amountCents",
  "description",
  "dueDate",
  "expiresAt",
  "status",
  "paymentToken",
  "lockedUntil",
  "paidAt",
  "createdAt",
  "updatedAt",
]);
const transferColumns = columnsOf<Transfer>()([
  "id",
  "tenantId",
  "optionId",
  "index",
  "beneficiaryFiscalCode",
  "iban",
  "isPostalIban",
  "stampType",
  "stampDocumentHash",
  "stampProvince",
  "amountCents",
  "taxonomyCode",
  "remittanceText",
  "metadata",
  "paidCents",
  "budgetChapter",
  "assessment",
  "accountingLines",
]);
const positionColumns = columnsOf<DebtPosition>()([
  "id",
  "tenantId",
  "iupd",
  "externalId",
  "paymentTypeId",
  "origin",
  "debtorType",
  "debtorFiscalCode",
  "debtorName",
  "debtorEmail",
  "debtorAddress",
  "debtorCity",
  "debtorPostalCode",
  "debtorProvince",
  "portalCitizenFiscalCode",
  "subject",
  "status",
  "validFrom",
  "dueDate",
  "data",
  "publishedAt",
  "paidAt",
  "cancelledAt",
  "createdAt",
  "updatedAt",
]);

/** `'dueDate', o.due_date, …`: jsonb_build_object arguments with the Prisma field names as keys. */
const jsonFields = (alias: string, fields: readonly string[]) =>
  fields.map((f) => `'${f}', ${alias}.${f.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`).join(", ");

/**
 * JSON has no instant type: the read carries them as ISO strings and these put the Dates back in
 * place (no copy of the row; the Nodo reads a notice on every call). They are every DateTime
 * field of the shape; the integration test compares the result with the ORM's.
 */
function reviveNotice(n: NoticeRecord): NoticeRecord {
  n.dueDate = new Date(n.dueDate);
  if (n.expiresAt) n.expiresAt = new Date(n.expiresAt);
  if (n.lockedUntil) n.lockedUntil = new Date(n.lockedUntil);
  if (n.paidAt) n.paidAt = new Date(n.paidAt);
  n.createdAt = new Date(n.createdAt);
  n.updatedAt = new Date(n.updatedAt);
  const p = n.position;
  if (p.validFrom) p.validFrom = new Date(p.validFrom);
  if (p.dueDate) p.dueDate = new Date(p.dueDate);
  if (p.publishedAt) p.publishedAt = new Date(p.publishedAt);
  if (p.paidAt) p.paidAt = new Date(p.paidAt);
  if (p.cancelledAt) p.cancelledAt = new Date(p.cancelledAt);
  p.createdAt = new Date(p.createdAt);
  p.updatedAt = new Date(p.updatedAt);
  for (const o of p.options) if (o.lockedUntil) o.lockedUntil = new Date(o.lockedUntil);
  return n;
}

/** Either door to the database: a Prisma transaction or the station's `pg` hot path. */
export type SqlRunner = Tx | FastTx;

/** Runs a named statement on either door (Prisma sends the same text, unnamed). */
function runStatement<R = Row>(runner: SqlRunner, statement: Statement, values: unknown[]): Promise<R[]> {
  if (runner instanceof FastTx) return runner.query<R>(statement, values);
  return runner.$queryRawUnsafe<R[]>(statement.text, ...values);
}

const FIND_NOTICE: Statement = {
  name: "positions.find_notice.v2",
  text: `
    SELECT jsonb_build_object(${jsonFields("o", optionColumns)}) || jsonb_build_object(
      'transfers', (SELECT coalesce(jsonb_agg(jsonb_build_object(${jsonFields("t", transferColumns)}) ORDER BY t.index),
                                    '[]'::jsonb) FROM transfers t
                    WHERE t.tenant_id = o.tenant_id AND t.option_id = o.id),
      'position', jsonb_build_object(${jsonFields("p", positionColumns)}) || jsonb_build_object(
        'paymentType', (SELECT jsonb_build_object('code', pt.code, 'amountRule', pt.amount_rule) FROM payment_types pt
                        WHERE pt.tenant_id = p.tenant_id AND pt.id = p.payment_type_id),
        'options', (SELECT jsonb_agg(jsonb_build_object('id', x.id, 'kind', x.kind, 'status', x.status,
                                                        'paymentToken', x.payment_token, 'lockedUntil', x.locked_until))
                    FROM payment_options x WHERE x.tenant_id = p.tenant_id AND x.position_id = p.id))
    ) AS notice
    FROM payment_options o
    JOIN debt_positions p ON p.tenant_id = o.tenant_id AND p.id = o.position_id
    WHERE o.tenant_id = $1::uuid AND o.nav = $2`,
};

/**
 * Reads the notice of `tenantId` with this NAV (RLS also confines it to the tenant), with the
 * same shape as `findUnique({ include: noticeInclude })`, in one statement: every Nodo call
 * reads a notice, and the ORM's include costs several round trips and milliseconds of CPU
 * (see docs/benchmarks.md). A test compares the two shapes, through both doors.
 */
export async function findNotice(runner: SqlRunner, tenantId: string, nav: string): Promise<NoticeRecord | null> {
  return noticeFromRows(await runStatement(runner, FIND_NOTICE, [tenantId, nav]));
}

/** `findNotice` as a call to batch with others on the station's pg path (read it with `noticeFromRows`). */
export const findNoticeCall = (tenantId: string, nav: string): Call => [FIND_NOTICE, [tenantId, nav]];

export function noticeFromRows(rows: Row[] | undefined): NoticeRecord | null {
  return rows?.[0] ? reviveNotice(rows[0].notice as NoticeRecord) : null;
}

const LOCK_POSITION_OF_NOTICE: Statement = {
  name: "positions.lock_position_of_notice.v1",
  text: `
    SELECT p.id FROM debt_positions p
    JOIN payment_options o ON o.tenant_id = p.tenant_id AND o.position_id = p.id
    WHERE o.tenant_id = $1::uuid AND o.nav = $2
    FOR UPDATE OF p`,
};

/**
 * The row lock of the position owning the NAV (SELECT … FOR UPDATE), as a call to batch: every
 * activation and receipt of any option of one position goes through this lock, so two of them
 * can never both see the position payable. Its rows are empty when the NAV is unknown.
 */
export const lockPositionOfNoticeCall = (tenantId: string, nav: string): Call => [
  LOCK_POSITION_OF_NOTICE,
  [tenantId, nav],
];
