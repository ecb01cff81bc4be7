import { rawExecute, type AnyTx } from "./raw-sql.ts";

/** A column of a bulk insert: its name and the SQL type its text is cast to. */
export type UnnestColumn = readonly [name: string, sqlType: string];

const IDENT = /^[a-z_][a-z0-9_]*$/;
const TYPE = /^("[A-Za-z_]+"|[a-z0-9() ]+)$/;

/**
 * Inserts many rows in one statement, `INSERT … SELECT … FROM unnest($1::text[], …)`: one bind
 * parameter per column whatever the row count, no ORM work per row (Prisma's createMany spent
 * most of a bulk import's CPU building its statement). Values travel as text (null stays null)
 * and are cast by PostgreSQL to each column's type; `extra` adds constant columns such as
 * `updated_at = now()`. Row-level security applies as to any statement of the transaction, Prisma's or pg's (`AnyTx`).
 */
export async function insertUnnest(
  tx: AnyTx,
  table: string,
  columns: readonly UnnestColumn[],
  rows: ReadonlyArray<ReadonlyArray<unknown>>,
  extra: Record<string, string> = {},
): Promise<void> {
  if (rows.length === 0) return;
  if (!IDENT.test(table)) throw new Error(`Not a table name: ${table}`);
  for (const [name, type] of columns)
    if (!IDENT.test(name) || !TYPE.test(type)) throw new Error(`Bad column ${name} ${type}`);
  for (const [name, expr] of Object.entries(extra))
    if (!IDENT.test(name) || !/^now\(\)$/.test(expr)) throw new Error(`Bad constant column ${name}`);
  const arrays = columns.map((_, c) => textArrayLiteral(rows, c));
  const names = [...columns.map(([n]) => `"${n}"`), ...Object.keys(extra).map((n) => `"${n}"`)].join(", ");
  const select = [...columns.map(([n, t]) => `u."${n}"::${t}`), ...Object.values(extra)].join(", ");
  const unnest = columns.map((_, i) => `$${i + 1}::text[]`).join(", ");
  const alias = columns.map(([n]) => `"${n}"`).join(", ");
  await rawExecute(
    tx,
    `INSERT INTO "${table}" (${names}) SELECT ${select} FROM unnest(${unnest}) AS u(${alias})`,
    arrays,
  );
}

const NEEDS_ESCAPE = /[\\"]/;

/**
 * Column `c` of `rows` as a PostgreSQL `text[]` literal (`{"a","b\\"c",NULL}`), built in one pass:
 * handing pg a JS array made it build the same literal with two regular-expression replaces per
 * value, and the intermediate arrays were garbage (a tenth of an import's CPU, bench/import).
 * Every element is quoted, so commas, braces, blanks and the word NULL need nothing more;
 * only backslashes and double quotes are escaped.
 */
export function textArrayLiteral(rows: ReadonlyArray<ReadonlyArray<unknown>>, c: number): string {
  let out = "{";
  for (let r = 0; r < rows.length; r++) {
    if (r > 0) out += ",";
    const v = rows[r]![c];
    if (v === null || v === undefined) {
      out += "NULL";
      continue;
    }
    const text = v instanceof Date ? v.toISOString() : typeof v === "object" ? JSON.stringify(v) : String(v);
    out += '"' + (NEEDS_ESCAPE.test(text) ? text.replace(/[\\"]/g, "\\$&") : text) + '"';
  }
  return out + "}";
}
