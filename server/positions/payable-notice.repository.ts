import type { Prisma } from "../generated/prisma/client.ts";
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

const DATE_KEYS = new Set([
  "createdAt",
  "updatedAt",
  "dueDate",
  "expiresAt",
  "lockedUntil",
  "paidAt",
  "validFrom",
  "publishedAt",
  "cancelledAt",
]);
// Column names are few and fixed: convert each once (this runs for every key of every notice read).
const CAMEL = new Map<string, string>();
const camel = (key: string) => {
  let out = CAMEL.get(key);
  if (out === undefined) {
    out = key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    if (CAMEL.size < 1_000) CAMEL.set(key, out);
  }
  return out;
};

// JSON columns (data, metadata, amount_rule) keep their own keys.
const JSON_COLUMNS = new Set(["data", "metadata", "amountRule"]);

/** snake_case JSON from PostgreSQL → the camelCase shape Prisma gives, with Dates revived. */
function revive(value: unknown, key = ""): unknown {
  if (Array.isArray(value)) return value.map((v) => revive(v));
  if (value && typeof value === "object") {
    if (JSON_COLUMNS.has(key)) return value;
    const out: Record<string, unknown> = {};
    const source = value as Record<string, unknown>;
    for (const k of Object.keys(source)) {
      const name = camel(k);
      out[name] = revive(source[k], name);
    }
    return out;
  }
  if (typeof value === "string" && DATE_KEYS.has(key)) return new Date(value);
  return value;
}

/** Either door to the database: a Prisma transaction or the station's `pg` hot path. */
export type SqlRunner = Tx | FastTx;

/** Runs a named statement on either door (Prisma sends the same text, unnamed). */
export function runStatement<R = Row>(runner: SqlRunner, statement: Statement, values: unknown[]): Promise<R[]> {
  if (runner instanceof FastTx) return runner.query<R>(statement, values);
  return runner.$queryRawUnsafe<R[]>(statement.text, ...values);
}

const FIND_NOTICE: Statement = {
  name: "positions.find_notice.v1",
  text: `
    SELECT to_jsonb(o) || jsonb_build_object(
      'transfers', (SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.index), '[]'::jsonb) FROM transfers t
                    WHERE t.tenant_id = o.tenant_id AND t.option_id = o.id),
      'position', to_jsonb(p) || jsonb_build_object(
        'payment_type', (SELECT jsonb_build_object('code', pt.code, 'amount_rule', pt.amount_rule) FROM payment_types pt
                         WHERE pt.tenant_id = p.tenant_id AND pt.id = p.payment_type_id),
        'options', (SELECT jsonb_agg(jsonb_build_object('id', x.id, 'kind', x.kind, 'status', x.status,
                                                        'payment_token', x.payment_token, 'locked_until', x.locked_until))
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
  return rows?.[0] ? (revive(rows[0].notice) as NoticeRecord) : null;
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
