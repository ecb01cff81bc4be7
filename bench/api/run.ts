/**
 * bench/api: debt positions created per second through the REST API, one per request
 * (`POST /positions`, BENCH_CONCURRENCY requests in flight) and in batches
 * (`POST /positions/batch`, BENCH_BATCH positions per request), next to the same rows
 * (position, option, transfer, audit entry) inserted directly with SQL in the same run, one
 * transaction per batch. The API runs in this process on a local port (token checks, rate limit,
 * zod, use case, RLS transaction, response schema), so client and server share the CPU: the
 * Node CPU per position below is both (fetch's client side included), the PostgreSQL CPU is that
 * of the bench database's backends (from /proc). On a shared machine compare those and the
 * ratios, not the seconds. A third API run sends every single POST with its own Idempotency-Key
 * (what a council system should do), so the key store's cost shows next to the plain one.
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
import { backendCpu, backendCpuDelta } from "../nodo/cpu.ts";

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
  for (let i = 0; i < 20; i++) await call("POST", `${base}/positions`, position(-i), `warm-${i}`); // warm-up

  /** Wall seconds, this process's CPU seconds and the bench database backends' CPU seconds of `fn`. */
  const measure = async (fn: () => Promise<void>): Promise<Phase> => {
    const [db0, cpu0, t] = [await backendCpu(admin, database), process.cpuUsage(), performance.now()];
    await fn();
    const seconds = (performance.now() - t) / 1000;
    const cpu = process.cpuUsage(cpu0);
    return {
      seconds,
      nodeCpu: (cpu.user + cpu.system) / 1e6,
      pgCpu: backendCpuDelta(db0, await backendCpu(admin, database)),
    };
  };

  // 1. One position per request, `concurrency` requests in flight (2: each with an Idempotency-Key).
  const singles = (offset: number, keyed: boolean) => async () => {
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < positions) {
          const i = offset + next++;
          const res = await call("POST", `${base}/positions`, position(i), keyed ? `bench-${i}` : undefined);
          if (res.status !== 201) throw new Error(`single POST answered ${res.status}: ${JSON.stringify(res.json)}`);
        }
      }),
    );
  };
  const single = await measure(singles(0, false));
  const keyed = await measure(singles(10 * positions, true));

  // 3. Batches of `batchSize`, two requests in flight (one per core).
  const batches = Math.ceil(positions / batchSize);
  let nextBatch = 0;
  const batched = await measure(() => batchRun());
  async function batchRun() {
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
  }
  await api.close();

  // 3. The same rows by plain SQL as the app role under RLS: one transaction, four multi-row
  //    INSERTs per batch (NAVs from a fixed range below the API's, no allocation round trip).
  sql = new pg.Client({ connectionString: config.DATABASE_URL });
  await sql.connect();
  const bySql = await measure(() => sqlRun(sql!));
  async function sqlRun(sql: pg.Client) {
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
  }
  const count = await deps.db.withTenant(tenant.id, (tx) => tx.debtPosition.count());
  const expected = 20 + 2 * positions + 2 * batches * batchSize;
  if (count !== expected) throw new Error(`expected ${expected} positions, found ${count}`);
  report({ single, keyed, batched, bySql, batches });
} finally {
  await sql?.end();
  await deps?.close();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
  await admin.end();
}

interface Phase {
  seconds: number;
  nodeCpu: number;
  pgCpu: number;
}

function report(r: { single: Phase; keyed: Phase; batched: Phase; bySql: Phase; batches: number }): void {
  const n = positions;
  const nb = r.batches * batchSize;
  const rate = {
    single: n / r.single.seconds,
    keyed: n / r.keyed.seconds,
    batched: nb / r.batched.seconds,
    sql: nb / r.bySql.seconds,
  };
  const f = (x: number, d = 0) => x.toLocaleString("en", { maximumFractionDigits: d, minimumFractionDigits: d });
  const row = (label: string, count: number, p: Phase, perSecond: number) =>
    `| ${label} | ${f(count)} | ${f(p.seconds, 2)} | ${f(perSecond)} | ${f(perSecond / rate.sql, 3)} | ${f((p.nodeCpu * 1000) / count, 3)} | ${f((p.pgCpu * 1000) / count, 3)} |`;
  const HEADING = "## REST API: positions created";
  const text = `${HEADING}

\`npm run bench:api\` (bench/api/run.ts), run on ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC, ${machine()}.
The API in this process on a local port (token check, Redis rate limit, zod, \`createPositionsBatch\` in an
RLS transaction on pg, response schema), the client (fetch) in the same process: the Node CPU per position is
client and server together. PostgreSQL CPU: the bench database's backends, from /proc. One option, one
transfer per position.

| Run | Positions | Seconds | Positions/s | Ratio to SQL | Node CPU ms/position | PostgreSQL CPU ms/position |
|---|---:|---:|---:|---:|---:|---:|
${row(`SQL, ${batchSize} per transaction (4 multi-row INSERTs, app role under RLS)`, nb, r.bySql, rate.sql)}
${row(`\`POST /positions/batch\`, ${batchSize} per request, 2 in flight`, nb, r.batched, rate.batched)}
${row(`\`POST /positions\`, ${concurrency} in flight`, n, r.single, rate.single)}
${row(`\`POST /positions\`, ${concurrency} in flight, each with an \`Idempotency-Key\``, n, r.keyed, rate.keyed)}

Target: at least 1,000 positions/s through the API on the 2-core machine: **${Math.max(rate.batched, rate.single) >= 1000 ? "met" : "missed"}**.

Where the time goes: both routes write through \`createPositionsBatch\` on \`Database.sql\` (pg, no Prisma
engine; decision 0004): NAVs reserved beforehand in a short transaction of their own (concurrent requests
of one council do not queue on its counter row until commit), then multi-row INSERTs of positions, options,
transfers, audit entries and outbox events. A single \`POST /positions\` is a batch of one, whose answer is
read back after the commit on pg (four prepared statements, one round trip): three transactions and an HTTP
round trip per position, about 6 ms of Node CPU (client and server) and 5 ms of PostgreSQL CPU each, which is
why one position per request stays far below the batch. The council and the API client's record are read on
pg (the client's for \`API_CLIENT_CACHE_MS\`), a token's signature is checked once per token. With an
\`Idempotency-Key\` the key is claimed and its answer stored on pg: two more transactions per request.
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
