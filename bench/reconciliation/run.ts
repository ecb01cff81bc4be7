/**
 * bench/reconciliation: one council's payments classified from scratch (classifyPayments with
 * { all: true }) over 100,000 receipts (each with its debt), 1,000 reporting flows of 100 rows
 * and 1,000 treasury credits, next to a plain SQL join of the same data in the same run (the
 * receipt → flow row → flow → credits chain, grouped the same way, with no codes written). A
 * few flows are left without credit and a few credits carry a wrong amount, so every branch runs.
 * Usage: npm run bench:reconciliation
 * Env: BENCH_FLOWS=1000, BENCH_ROWS_PER_FLOW=100; PostgreSQL as for `npm test` (a throwaway database, dropped).
 * BENCH_EXPLAIN=1 also prints each statement of a from-scratch run with EXPLAIN (ANALYZE, BUFFERS)
 * and its own time, through the app's role (RLS on), to see where PostgreSQL spends it.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { ensureStack, migrate } from "../../infra/local/stack.ts";
import { loadConfig } from "../../server/config/env.ts";
import { Database } from "../../server/platform/db/database.ts";
import { classifyPayments } from "../../server/reconciliation/index.ts";
import { classificationStatements, tuneForClassification } from "../../server/reconciliation/classify-payments.ts";
import { Prisma } from "../../server/generated/prisma/client.ts";
import { makeTenant } from "../../server/test/factories.ts";
import { withDatabase } from "../../server/test/global-setup.ts";
import { machine } from "../nodo/report.ts";

const num = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(v) || v <= 0) throw new Error(`${name} must be a positive integer`);
  return v;
};
const flows = num("BENCH_FLOWS", 1_000);
const perFlow = num("BENCH_ROWS_PER_FLOW", 100);
const receipts = flows * perFlow;
const TARGET_S = 10;

const database = `pontepa_bench_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
const stack = await ensureStack();
const admin = new pg.Client({ connectionString: withDatabase(stack.migrateUrl, "postgres") });
await admin.connect();
const config = loadConfig({
  ...process.env,
  DATABASE_URL: withDatabase(stack.databaseUrl, database),
  REDIS_URL: stack.redisUrl,
});
let db: Database | null = null;
const time = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
  const t0 = performance.now();
  const out = await fn();
  return [out, (performance.now() - t0) / 1000];
};

try {
  await admin.query(`CREATE DATABASE ${database}`);
  migrate(withDatabase(stack.migrateUrl, database));
  db = new Database({ url: config.DATABASE_URL, poolSize: 4 });
  const tenant = await makeTenant(db);
  const t = tenant.id;

  // The data, written set-based: receipt i is option i's, reported in flow i / perFlow at row
  // i % perFlow; flow f is credited by credit f, except every 100th flow (no credit) and every
  // 50th credit (one cent short).
  const [, loadSeconds] = await time(() =>
    db!.withTenant(
      t,
      async (tx) => {
        await tx.$executeRaw`
          INSERT INTO debt_positions (id, tenant_id, iupd, debtor_fiscal_code, debtor_name, subject, status, paid_at, updated_at)
          SELECT md5('p' || i)::uuid, ${t}::uuid, 'B-' || i, 'RSSMRA80A01H501U', 'Mario Rossi', 'Bench', 'PAID',
                 now() - interval '3 days', now()
          FROM generate_series(1, ${receipts}) i`;
        await tx.$executeRaw`
          INSERT INTO payment_options (id, tenant_id, position_id, nav, iuv, amount_cents, due_date, status, paid_at, updated_at)
          SELECT md5('o' || i)::uuid, ${t}::uuid, md5('p' || i)::uuid, '3' || lpad(i::text, 17, '0'), lpad(i::text, 17, '0'),
                 1000 + i % 500, now(), 'PAID', now() - interval '3 days', now()
          FROM generate_series(1, ${receipts}) i`;
        await tx.$executeRaw`
          INSERT INTO receipts (id, tenant_id, option_id, receipt_id, nav, iuv, outcome, amount_cents, psp_id,
                                payment_date_time, access_token)
          SELECT md5('r' || i)::uuid, ${t}::uuid, md5('o' || i)::uuid, 'IUR' || i, '3' || lpad(i::text, 17, '0'),
                 lpad(i::text, 17, '0'), 'OK', 1000 + i % 500, 'PSP' || (i % 7),
                 now() - interval '3 days' + (i % 1440) * interval '1 minute', md5('a' || i)
          FROM generate_series(1, ${receipts}) i`;
        await tx.$executeRaw`
          INSERT INTO reporting_flows (id, tenant_id, flow_id, psp_id, flow_date, format, settlement_id, settlement_date,
                                       declared_count, declared_total_cents, rows_count, rows_total_cents)
          SELECT md5('f' || f)::uuid, ${t}::uuid, 'FLOW-' || f, 'PSP' || (f % 7), now(), 'FDR3', 'S' || f,
                 current_date - 1, ${perFlow}, s.total, ${perFlow}, s.total
          FROM generate_series(0, ${flows - 1}) f,
               LATERAL (SELECT sum(1000 + i % 500)::int AS total
                        FROM generate_series(f * ${perFlow} + 1, (f + 1) * ${perFlow}) i) s`;
        await tx.$executeRaw`
          INSERT INTO reporting_rows (id, tenant_id, flow_record_id, position, iuv, iur, transfer_index, amount_cents,
                                      outcome_code, outcome_date, receipt_row_id)
          SELECT md5('w' || i)::uuid, ${t}::uuid, md5('f' || ((i - 1) / ${perFlow}))::uuid, (i - 1) % ${perFlow} + 1,
                 lpad(i::text, 17, '0'), 'IUR' || i, 1, 1000 + i % 500, 0, current_date - 2, md5('r' || i)::uuid
          FROM generate_series(1, ${receipts}) i`;
        await tx.$executeRaw`
          INSERT INTO treasury_imports (id, tenant_id, file_name, format, credits_count)
          VALUES (md5('import')::uuid, ${t}::uuid, 'bench.xml', 'OPI 1.6.1+', ${flows})`;
        await tx.$executeRaw`
          INSERT INTO treasury_credits (id, tenant_id, import_id, dedup_key, value_date, amount_cents, description, flow_id, status)
          SELECT md5('c' || f)::uuid, ${t}::uuid, md5('import')::uuid, 'K' || f, current_date,
                 fl.rows_total_cents - CASE WHEN f % 50 = 0 THEN 1 ELSE 0 END,
                 '/PUR/LGPE-RIVERSAMENTO/URI/FLOW-' || f, 'FLOW-' || f, 'MATCHED'
          FROM generate_series(0, ${flows - 1}) f JOIN reporting_flows fl ON fl.flow_id = 'FLOW-' || f
          WHERE f % 100 <> 99`;
      },
      { timeout: 600_000 },
    ),
  );
  // Statistics as autovacuum would have them in production (as the tables' owner: the app role may not).
  const owner = new pg.Client({ connectionString: withDatabase(stack.migrateUrl, database) });
  await owner.connect();
  await owner.query("ANALYZE");
  await owner.end();

  // Baseline: the same chain as a plain join, grouped by the outcome it implies, nothing written,
  // as the tables' owner (plain SQL, no row-level security). BENCH_RLS_JOIN=1 also times the same
  // join through the app's role and its RLS policies (slow: minutes on the 2-core machine).
  const JOIN = `
    SELECT CASE WHEN c.total IS NULL THEN 'NONE' WHEN c.total = f.rows_total_cents THEN 'MATCHED' ELSE 'DIFF' END AS state,
           count(*)::int AS n
    FROM receipts r
    JOIN payment_options o ON o.tenant_id = r.tenant_id AND o.iuv = r.iuv
    JOIN reporting_rows w ON w.tenant_id = r.tenant_id AND w.iuv = r.iuv AND w.receipt_row_id = r.id
    JOIN reporting_flows f ON f.tenant_id = w.tenant_id AND f.id = w.flow_record_id AND f.superseded_at IS NULL
    LEFT JOIN (SELECT flow_id, sum(amount_cents) AS total FROM treasury_credits WHERE tenant_id = $1::uuid
               GROUP BY flow_id) c ON c.flow_id = f.flow_id
    WHERE r.tenant_id = $1::uuid AND r.outcome = 'OK'
    GROUP BY 1 ORDER BY 1`;
  const plain = new pg.Client({ connectionString: withDatabase(stack.migrateUrl, database) });
  await plain.connect();
  const [join, joinSeconds] = await time(async () => (await plain.query<{ state: string; n: number }>(JOIN, [t])).rows);
  await plain.end();
  let rlsJoinSeconds: number | null = null;
  if (process.env.BENCH_RLS_JOIN === "1")
    [, rlsJoinSeconds] = await time(() =>
      db!.withTenant(t, (tx) => tx.$queryRawUnsafe(JOIN, t), { timeout: 3_600_000 }),
    );
  // Node's own CPU during the run (the rest of the wall time is PostgreSQL's, or waiting).
  const cpu0 = process.cpuUsage();
  const [counts, classifySeconds] = await time(() =>
    db!.withTenant(t, (tx) => classifyPayments(tx, t, { all: true }), { timeout: 600_000 }),
  );
  const cpu = process.cpuUsage(cpu0);
  const nodeCpuSeconds = (cpu.user + cpu.system) / 1e6;
  const codes = await db.withTenant(
    t,
    (tx) =>
      tx.$queryRaw<Array<{ code: string; n: number }>>`
      SELECT code, count(*)::int AS n FROM payment_classifications WHERE tenant_id = ${t}::uuid GROUP BY code ORDER BY code`,
    { timeout: 600_000 },
  );
  // Twice more, to show it is stable (a from-scratch run replaces the previous one).
  const [, again] = await time(() =>
    db!.withTenant(t, (tx) => classifyPayments(tx, t, { all: true }), { timeout: 600_000 }),
  );
  // The same four statements with PostgreSQL's defaults (JIT on, default work_mem), as
  // classifyPayments ran them before tuneForClassification: what the tuning saves, in this run.
  const everything = () => Prisma.sql`TRUE`;
  const [, untuned] = await time(() =>
    db!.withTenant(
      t,
      async (tx) => {
        for (const statement of Object.values(classificationStatements(t, everything, everything)))
          await tx.$executeRaw(statement);
      },
      { timeout: 600_000 },
    ),
  );

  console.log(`\n${machine()}\n`);
  console.log(
    `data: ${receipts.toLocaleString("en")} receipts with their debts, ${flows.toLocaleString("en")} flows × ${perFlow} rows, ${(flows - Math.floor(flows / 100)).toLocaleString("en")} treasury credits; loaded in ${loadSeconds.toFixed(1)} s\n`,
  );
  console.log(`| scenario | rows out | seconds | ratio to the join | target (< ${TARGET_S} s) |`);
  console.log(`|---|---|---|---|---|`);
  const joined = join.reduce((s, r) => s + r.n, 0);
  console.log(
    `| plain SQL join as the owner (receipt → row → flow → credits), grouped | ${joined.toLocaleString("en")} | ${joinSeconds.toFixed(2)} | 1.00 |  |`,
  );
  if (rlsJoinSeconds !== null)
    console.log(
      `| the same join through the app's role (RLS) | ${joined.toLocaleString("en")} | ${rlsJoinSeconds.toFixed(2)} | ${(rlsJoinSeconds / joinSeconds).toFixed(1)} |  |`,
    );
  const out = counts.payments + counts.flows + counts.credits;
  console.log(
    `| classifyPayments from scratch (codes written) | ${out.toLocaleString("en")} | ${classifySeconds.toFixed(2)} | ${(classifySeconds / joinSeconds).toFixed(1)} | ${classifySeconds < TARGET_S ? "met" : "not met"} |`,
  );
  console.log(
    `| again (replacing the previous codes) | ${out.toLocaleString("en")} | ${again.toFixed(2)} | ${(again / joinSeconds).toFixed(1)} | ${again < TARGET_S ? "met" : "not met"} |`,
  );
  console.log(
    `| the same statements with PostgreSQL's defaults (JIT on, default work_mem) | ${out.toLocaleString("en")} | ${untuned.toFixed(2)} | ${(untuned / joinSeconds).toFixed(1)} | ${untuned < TARGET_S ? "met" : "not met"} |`,
  );
  console.log(
    `\nNode CPU during the first classification: ${nodeCpuSeconds.toFixed(2)} s of ${classifySeconds.toFixed(2)} s wall (the rest is PostgreSQL)`,
  );
  console.log(`\njoin states: ${join.map((r) => `${r.state} ${r.n}`).join(", ")}`);
  console.log(`codes: ${codes.map((c) => `${c.code} ${c.n}`).join(", ")}`);
  if (process.env.BENCH_EXPLAIN === "1") {
    const sql = classificationStatements(t, everything, everything);
    await db.withTenant(
      t,
      async (tx) => {
        await tuneForClassification(tx); // as classifyPayments runs them
        for (const [name, statement] of Object.entries(sql)) {
          const t0 = performance.now();
          const plan = await tx.$queryRaw<Array<{ "QUERY PLAN": string }>>(
            Prisma.sql`EXPLAIN (ANALYZE, BUFFERS) ${statement}`,
          );
          console.log(`\n-- ${name}: ${((performance.now() - t0) / 1000).toFixed(2)} s`);
          console.log(plan.map((r) => r["QUERY PLAN"]).join("\n"));
        }
      },
      { timeout: 600_000 },
    );
  }
} finally {
  await db?.close();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
  await admin.end();
}
