/**
 * bench/api: debt positions created per second through the REST API, one per request
 * (`POST /positions`, BENCH_CONCURRENCY requests in flight) and in batches
 * (`POST /positions/batch`, BENCH_BATCH positions per request), next to the same rows
 * (position, option, transfer, audit entry) inserted directly with SQL in the same run, one
 * transaction per batch. The API runs in this process on a local port (token checks, rate limit,
 * zod, use case, RLS transaction, response schema), so client and server share the CPU.
 * Usage: npm run bench:api
 * Env: BENCH_POSITIONS=2000 (per run), BENCH_CONCURRENCY=8, BENCH_BATCH=100, BENCH_RECORD=1 (0: print only),
 *      MIGRATE_DATABASE_URL / DATABASE_URL / REDIS_URL as for the platform (a throwaway database, dropped).
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { ensureStack, migrate } from "../../infra/local/stack.ts";
import { loadConfig } from "../../server/config/env.ts";
import { createDeps, type Deps } from "../../server/platform/deps.ts";
import { buildNav } from "../../server/pagopa/index.ts";
import { withDatabase } from "../../server/test/global-setup.ts";
import { makeTenant } from "../../server/test/factories.ts";
import { apiCall, startApi } from "../../server/test/harness/api/api-server.ts";
import { machine } from "../nodo/report.ts";

const num = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(v) || v <= 0) throw new Error(`${name} must be a positive integer`);
  return v;
};
const positions = num("BENCH_POSITIONS", 2_000);
const concurrency = num("BENCH_CONCURRENCY", 8);
const batchSize = Math.min(100, num("BENCH_BATCH", 100));
const write = process.env.BENCH_RECORD !== "0";
const database = `pontepa_bench_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;

const IBAN = "IT60X0542811101000000123456";
const position = (i: number) => ({
  subject: `TARI 2027 n. ${i}`,
  debtor: { fiscalCode: "RSSMRA80A01H501U", name: "Mario Rossi" },
  single: {
    amountCents: 10_000 + (i % 1000),
    dueDate: "2027-06-30",
    transfers: [
      { amountCents: 10_000 + (i % 1000), taxonomyCode: "9/0101002IM/", remittanceText: "TARI 2027", iban: IBAN },
    ],
  },
});

const stack = await ensureStack();
const admin = new pg.Client({ connectionString: withDatabase(stack.migrateUrl, "postgres") });
await admin.connect();
const config = loadConfig({
  ...process.env,
  DATABASE_URL: withDatabase(stack.databaseUrl, database),
  REDIS_URL: stack.redisUrl,
  QUEUE_PREFIX: database,
  API_RATE_LIMIT_PER_MINUTE: "1000000",
  LOG_LEVEL: "warn",
});
let deps: Deps | null = null;
let sql: pg.Client | null = null;

try {
  await admin.query(`CREATE DATABASE ${database}`);
  migrate(withDatabase(stack.migrateUrl, database));
  deps = createDeps(config, "bench", { amountRulePlugins: [] });
  const tenant = await makeTenant(deps.db);
  const api = await startApi(deps);
  const call = apiCall(api.base, await api.token({ clientId: "bench", ipa: tenant.ipaCode }));
  const base = `/tenants/${tenant.ipaCode}`;
  for (let i = 0; i < 20; i++) await call("POST", `${base}/positions`, position(-i)); // warm-up

  // 1. One position per request, `concurrency` requests in flight.
  let next = 0;
  let t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < positions) {
        const i = next++;
        const res = await call("POST", `${base}/positions`, position(i));
        if (res.status !== 201) throw new Error(`single POST answered ${res.status}: ${JSON.stringify(res.json)}`);
      }
    }),
  );
  const single = (performance.now() - t0) / 1000;

  // 2. Batches of `batchSize`, two requests in flight (one per core).
  const batches = Math.ceil(positions / batchSize);
  let nextBatch = 0;
  t0 = performance.now();
  await Promise.all(
    Array.from({ length: 2 }, async () => {
      while (nextBatch < batches) {
        const b = nextBatch++;
        const body = {
          positions: Array.from({ length: batchSize }, (_, k) => position(positions + b * batchSize + k)),
        };
        const res = await call("POST", `${base}/positions/batch`, body);
        if (res.status !== 201) throw new Error(`batch POST answered ${res.status}: ${JSON.stringify(res.json)}`);
      }
    }),
  );
  const batched = (performance.now() - t0) / 1000;
  await api.close();

  // 3. The same rows by plain SQL as the app role under RLS: one transaction, four multi-row
  //    INSERTs per batch (NAVs from a fixed range below the API's, no allocation round trip).
  sql = new pg.Client({ connectionString: config.DATABASE_URL });
  await sql.connect();
  t0 = performance.now();
  for (let b = 0; b < batches; b++) {
    const rows = Array.from({ length: batchSize }, (_, k) => {
      const i = b * batchSize + k;
      const { nav, iuv } = buildNav({ segregationCode: tenant.segregationCode, iuvBase: BigInt(1 + i) });
      return { i, nav, iuv, amount: 10_000 + (i % 1000) };
    });
    await sql.query("BEGIN");
    await sql.query("SELECT set_config('app.tenant_id', $1, true)", [tenant.id]);
    await sql.query(
      `WITH input AS (SELECT * FROM jsonb_to_recordset($2::jsonb) AS x(i int, nav text, iuv text, amount int)),
       pos AS (
         INSERT INTO debt_positions (id, tenant_id, iupd, debtor_fiscal_code, debtor_name, subject, status, due_date, published_at, updated_at)
         SELECT gen_random_uuid(), $1::uuid, 'SQL-' || i, 'RSSMRA80A01H501U', 'Mario Rossi', 'TARI 2027 n. ' || i, 'VALID', '2027-06-30T21:59:59.999Z', now(), now()
         FROM input RETURNING id, iupd),
       opt AS (
         INSERT INTO payment_options (id, tenant_id, position_id, kind, nav, iuv, amount_cents, due_date, updated_at)
         SELECT gen_random_uuid(), $1::uuid, pos.id, 'SINGLE', input.nav, input.iuv, input.amount, '2027-06-30T21:59:59.999Z', now()
         FROM input JOIN pos ON pos.iupd = 'SQL-' || input.i RETURNING id, position_id, amount_cents),
       tr AS (
         INSERT INTO transfers (id, tenant_id, option_id, index, beneficiary_fiscal_code, iban, amount_cents, taxonomy_code, remittance_text)
         SELECT gen_random_uuid(), $1::uuid, opt.id, 1, $3, '${IBAN}', opt.amount_cents, '9/0101002IM/', 'TARI 2027' FROM opt RETURNING 1)
       INSERT INTO audit_log (id, tenant_id, actor_type, actor_id, action, entity_type, entity_id, after)
       SELECT gen_random_uuid(), $1::uuid, 'machine', 'bench', 'position.create', 'DebtPosition', opt.position_id::text, '{}'::jsonb FROM opt`,
      [tenant.id, JSON.stringify(rows), tenant.fiscalCode],
    );
    await sql.query("COMMIT");
  }
  const bySql = (performance.now() - t0) / 1000;
  const count = await deps.db.withTenant(tenant.id, (tx) => tx.debtPosition.count());
  const expected = 20 + positions + 2 * batches * batchSize;
  if (count !== expected) throw new Error(`expected ${expected} positions, found ${count}`);
  report({ single, batched, bySql, batches });
} finally {
  await sql?.end();
  await deps?.close();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
  await admin.end();
}

function report(r: { single: number; batched: number; bySql: number; batches: number }): void {
  const n = positions;
  const nb = r.batches * batchSize;
  const rate = { single: n / r.single, batched: nb / r.batched, sql: nb / r.bySql };
  const f = (x: number, d = 0) => x.toLocaleString("en", { maximumFractionDigits: d, minimumFractionDigits: d });
  const HEADING = "## REST API: positions created";
  const text = `${HEADING}

\`npm run bench:api\` (bench/api/run.ts), run on ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC, ${machine()}.
The API in this process on a local port (token check, Redis rate limit, zod, \`createPositionsBatch\` in an
RLS transaction on pg, response schema), the client in the same process. One option, one transfer per position.

| Run | Positions | Seconds | Positions/s | Ratio to SQL |
|---|---:|---:|---:|---:|
| SQL, ${batchSize} per transaction (4 multi-row INSERTs, app role under RLS) | ${f(nb)} | ${f(r.bySql, 2)} | ${f(rate.sql)} | 1.00 |
| \`POST /positions/batch\`, ${batchSize} per request, 2 in flight | ${f(nb)} | ${f(r.batched, 2)} | ${f(rate.batched)} | ${f(rate.batched / rate.sql, 3)} |
| \`POST /positions\`, ${concurrency} in flight | ${f(n)} | ${f(r.single, 2)} | ${f(rate.single)} | ${f(rate.single / rate.sql, 3)} |

Target: at least 1,000 positions/s through the API on the 2-core machine: **${Math.max(rate.batched, rate.single) >= 1000 ? "met" : "missed"}**.

Where the time goes: both routes write through \`createPositionsBatch\` on \`Database.sql\` (pg, no Prisma
engine; decision 0004): one NAV reservation, multi-row INSERTs of positions, options, transfers, audit
entries and outbox events, a dozen statements per request; a single \`POST /positions\` is a batch of one,
then reads the position back for its answer through the ORM (\`findPosition\`). The rest is the HTTP
stack (token check, Redis rate limit, zod on the body and the answer) and this process being client and
server on a shared machine.
`;
  console.log(`\n${text}`);
  if (!write) return;
  const file = path.resolve(import.meta.dirname, "../../docs/benchmarks.md");
  const current = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmarks\n";
  const start = current.indexOf(HEADING);
  if (start < 0) return writeFileSync(file, `${current.trimEnd()}\n\n${text}`);
  const after = current.indexOf("\n## ", start + HEADING.length);
  const rest = after < 0 ? "" : current.slice(after + 1);
  writeFileSync(file, `${current.slice(0, start)}${text}${rest ? `\n${rest}` : ""}`);
}
