import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Database } from "./database.ts";
import { insertUnnest, textArrayLiteral } from "./insert-unnest.ts";
import { rawExecute, rawQuery, type AnyTx } from "./raw-sql.ts";
import { makeTenant } from "../../test/factories.ts";

// Values a council's file can carry into a bulk insert, each an edge of the array literal.
const TEXTS = [
  'Via "dei Tigli", 3',
  "C:\\percorso\\file",
  '\\"',
  "NULL",
  "",
  " spazi ",
  "{graffe},virgole",
  "riga\nnuova\ttab",
  "Società àèìòù €",
];
const COLUMNS = [
  ["n", "integer"],
  ["text", "text"],
  ["doc", "jsonb"],
  ["at", "timestamptz"],
] as const;
const rows: unknown[][] = TEXTS.map((t, i) => [i, t, { note: t, n: i }, new Date(Date.UTC(2027, 0, 31, 22, i))]);
rows.push([TEXTS.length, null, null, null]);

describe("insertUnnest", () => {
  const db = new Database({ url: inject("databaseUrl") });
  let tenantId: string;
  beforeAll(async () => {
    tenantId = (await makeTenant(db)).id;
  });
  afterAll(() => db.close());

  const roundTrip = async (tx: AnyTx) => {
    await rawExecute(
      tx,
      "CREATE TEMP TABLE unnest_values (n integer, text text, doc jsonb, at timestamptz) ON COMMIT DROP",
    );
    await insertUnnest(tx, "unnest_values", COLUMNS, rows);
    return rawQuery<{ n: number; text: string | null; doc: unknown; at: string | null }>(
      tx,
      `SELECT n, text, doc, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI') AS at FROM unnest_values ORDER BY n`,
    );
  };
  const expected = rows.map(([n, text, doc, at]) => ({
    n,
    text,
    doc,
    at: at ? (at as Date).toISOString().slice(0, 16) : null,
  }));

  it("keeps quotes, backslashes, the word NULL, blanks and unicode, and real nulls, on pg", async () => {
    expect(await db.sql.withTenant(tenantId, roundTrip)).toEqual(expected);
  });

  it("does the same inside a Prisma transaction", async () => {
    expect(await db.withTenant(tenantId, roundTrip)).toEqual(expected);
  });

  it("escapes only backslashes and double quotes, quoting every element", () => {
    expect(textArrayLiteral([['a"b'], ["c\\d"], [null], ["NULL"]], 0)).toBe('{"a\\"b","c\\\\d",NULL,"NULL"}');
  });
});
