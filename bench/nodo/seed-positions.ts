import pg from "pg";
import { buildNav, isValidNav } from "../../server/pagopa/index.ts";

/** Where the benchmark's positions start, above anything the demo seed allocated. */
export const FIRST_BASE = 1_000_000;

/**
 * Inserts `count` valid single-option positions for one tenant in three set-based statements
 * (as the owner role, bypassing the app for speed). NAV check digits are computed in SQL with the
 * same rule as server/pagopa: (3 ‖ segregation ‖ base) mod 93. The tenant's IUV sequence is moved
 * past them so the platform never hands out one of these numbers again.
 */
export async function seedPositions(
  ownerUrl: string,
  tenantId: string,
  segregationCode: string,
  count: number,
): Promise<string[]> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const prefix = BigInt(`3${segregationCode}`) * 10n ** 13n;
    await client.query("BEGIN");
    await client.query(
      `INSERT INTO debt_positions (id, tenant_id, iupd, origin, debtor_type, debtor_fiscal_code, debtor_name, subject, status, due_date, data, published_at, created_at, updated_at)
       SELECT gen_random_uuid(), $1::uuid, 'BENCH-' || n, 'API', 'F', 'RSSMRA80A01H501U', 'Mario Rossi', 'Benchmark ' || n, 'VALID',
              now() + interval '60 days', '{}', now(), now(), now()
       FROM generate_series($2::bigint, $3::bigint) AS n`,
      [tenantId, FIRST_BASE, FIRST_BASE + count - 1],
    );
    await client.query(
      `INSERT INTO payment_options (id, tenant_id, position_id, kind, nav, iuv, amount_cents, due_date, status, created_at, updated_at)
       SELECT gen_random_uuid(), p.tenant_id, p.id, 'SINGLE', x.nav, substr(x.nav, 2), 1000 + (x.n % 9000), p.due_date, 'UNPAID', now(), now()
       FROM debt_positions p
       CROSS JOIN LATERAL (SELECT substr(p.iupd, 7)::bigint AS n) b
       CROSS JOIN LATERAL (
         SELECT b.n, '3' || $2 || lpad(b.n::text, 13, '0') || lpad((($3::bigint + b.n) % 93)::text, 2, '0') AS nav
       ) x
       WHERE p.tenant_id = $1::uuid AND p.iupd LIKE 'BENCH-%'`,
      [tenantId, segregationCode, prefix.toString()],
    );
    await client.query(
      `INSERT INTO transfers (id, tenant_id, option_id, index, beneficiary_fiscal_code, iban, amount_cents, taxonomy_code, remittance_text, metadata)
       SELECT gen_random_uuid(), o.tenant_id, o.id, 1, t.fiscal_code, 'IT68D0306912345100000012345', o.amount_cents, '9/0101101IM/', 'Benchmark', '[]'
       FROM payment_options o JOIN tenants t ON t.id = o.tenant_id JOIN debt_positions p ON p.id = o.position_id
       WHERE o.tenant_id = $1::uuid AND p.iupd LIKE 'BENCH-%'`,
      [tenantId],
    );
    await client.query(
      `INSERT INTO iuv_sequences (tenant_id, next_value, updated_at) VALUES ($1::uuid, $2, now())
       ON CONFLICT (tenant_id) DO UPDATE SET next_value = GREATEST(iuv_sequences.next_value, $2), updated_at = now()`,
      [tenantId, FIRST_BASE + count],
    );
    await client.query("COMMIT");
    const navs = await client.query<{ nav: string }>(
      "SELECT o.nav FROM payment_options o JOIN debt_positions p ON p.id = o.position_id WHERE p.tenant_id = $1::uuid AND p.iupd LIKE 'BENCH-%' ORDER BY o.nav",
      [tenantId],
    );
    const list = navs.rows.map((r) => r.nav);
    // The SQL above re-implements the check digits: hold it to the domain's own rule.
    const expected = buildNav({ segregationCode, iuvBase: FIRST_BASE }).nav;
    if (list.length !== count || list[0] !== expected || !list.every(isValidNav)) {
      throw new Error(
        `seeded notices do not match server/pagopa (first ${list[0]}, expected ${expected}; ${list.length} of ${count})`,
      );
    }
    return list;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    await client.end();
  }
}
