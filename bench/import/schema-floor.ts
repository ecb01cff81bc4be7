/**
 * The schema's floor: the rows a native import writes for each debt of the bench's file
 * (position, option, two transfers as the demo TARI's 95/5 split, `position.created` outbox
 * event, outcome row), written straight from the COPY table by one INSERT … SELECT per table, as
 * the platform's database user under row-level security, with every index, foreign key and WAL
 * record the real tables have, and nothing of the application (no parsing, no checks, no NAV
 * generator, no round trips). It is what any write path (a staging table and set-based inserts
 * included) still pays inside PostgreSQL, so it bounds how close an import can come to COPY on
 * this machine. Rolled back when measured.
 */
import pg from "pg";

export interface FloorInput {
  /** The platform's connection (DATABASE_URL): RLS applies as it does to the import. */
  url: string;
  tenantId: string;
  paymentTypeId: string;
  importId: string;
  beneficiaryFiscalCode: string;
  iban: string;
  /** NAVs and IUVs are made from the row number behind this prefix, kept apart from the import's. */
  navPrefix: string;
  /** Outcome rows are numbered after the import's own. */
  rowOffset: number;
}

export interface FloorResult {
  seconds: number;
  /** Seconds per table, in the order written. */
  tables: Record<string, number>;
}

/** Ordered ids (like the platform's UUID v7): `kind` tells the tables' ids apart. */
const id = (kind: number) => `('0195c0de-0000-7${kind}00-8000-' || lpad(to_hex(n), 12, '0'))::uuid`;

export async function schemaFloor(input: FloorInput): Promise<FloorResult> {
  const client = new pg.Client({ connectionString: input.url });
  await client.connect();
  const tables: Record<string, number> = {};
  const step = async (table: string, sql: string, params: unknown[]) => {
    const t0 = performance.now();
    await client.query(sql, params);
    tables[table] = +((performance.now() - t0) / 1000).toFixed(2);
  };
  try {
    await client.query("BEGIN");
    await client.query("SELECT set_config('app.tenant_id', $1, true)", [input.tenantId]);
    const t0 = performance.now();
    await step(
      "staging",
      `CREATE TEMP TABLE floor_rows ON COMMIT DROP AS
         SELECT row_number() OVER () AS n, c.*,
                round(replace(c.importo, ',', '.')::numeric * 100)::integer AS cents,
                $1 || lpad((row_number() OVER ())::text, 18 - length($1), '0') AS nav
           FROM bench_copy c`,
      [input.navPrefix],
    );
    await step(
      "debt_positions",
      `INSERT INTO debt_positions (id, tenant_id, iupd, external_id, payment_type_id, origin, debtor_type,
         debtor_fiscal_code, debtor_name, debtor_address, debtor_city, debtor_postal_code, debtor_province,
         subject, status, due_date, data, published_at, updated_at)
       SELECT ${id(1)}, $1, 'FLOOR-' || n, 'FLOOR-' || id_esterno, $2, 'FILE', 'F', codice_fiscale_debitore,
         nominativo_debitore, indirizzo_debitore, comune_debitore, cap_debitore, provincia_debitore, causale,
         'VALID', scadenza::timestamptz, jsonb_build_object('importId', $3::text), now(), now()
       FROM floor_rows`,
      [input.tenantId, input.paymentTypeId, input.importId],
    );
    await step(
      "payment_options",
      `INSERT INTO payment_options (id, tenant_id, position_id, kind, nav, iuv, amount_cents, due_date, updated_at)
       SELECT ${id(2)}, $1, ${id(1)}, 'SINGLE', nav, substr(nav, 2), cents, scadenza::timestamptz, now()
       FROM floor_rows`,
      [input.tenantId],
    );
    await step(
      "transfers",
      `INSERT INTO transfers (id, tenant_id, option_id, index, beneficiary_fiscal_code, iban, is_postal_iban,
         amount_cents, taxonomy_code, remittance_text, metadata, accounting_lines)
       SELECT CASE t.i WHEN 1 THEN ${id(3)} ELSE ${id(5)} END, $1, ${id(2)}, t.i, $2, $3, false,
         CASE t.i WHEN 1 THEN cents - cents * 5 / 100 ELSE cents * 5 / 100 END, '9/0101101IM/', causale, '[]', '[]'
       FROM floor_rows CROSS JOIN (VALUES (1), (2)) AS t(i)`,
      [input.tenantId, input.beneficiaryFiscalCode, input.iban],
    );
    await step(
      "outbox_events",
      `INSERT INTO outbox_events (id, tenant_id, type, position_id, payload)
       SELECT ${id(4)}, $1, 'position.created', ${id(1)}, jsonb_build_object(
         'positionId', ${id(1)}, 'iupd', 'FLOOR-' || n, 'externalId', 'FLOOR-' || id_esterno, 'status', 'VALID',
         'options', jsonb_build_array(jsonb_build_object('nav', nav, 'iuv', substr(nav, 2), 'amountCents', cents,
           'dueDate', scadenza, 'installmentNumber', null)))
       FROM floor_rows`,
      [input.tenantId],
    );
    await step(
      "import_rows",
      `INSERT INTO import_rows (tenant_id, import_id, row_number, outcome, action, key, position_id, nav, iuv)
       SELECT $1, $2, $3 + n, 'ACCEPTED', 'insert', id_esterno, ${id(1)}, nav, substr(nav, 2) FROM floor_rows`,
      [input.tenantId, input.importId, input.rowOffset],
    );
    return { seconds: +((performance.now() - t0) / 1000).toFixed(2), tables };
  } finally {
    await client.query("ROLLBACK").catch(() => undefined);
    await client.end();
  }
}
