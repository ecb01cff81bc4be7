/**
 * bench/nodo: throughput and latency of the Nodo station (paVerifyPaymentNotice and
 * paGetPaymentV2) with 100,000 positions in the database, at concurrency 16 and 64, next to a
 * ceiling measured in the same run (a minimal HTTP server returning a fixed SOAP answer).
 * Usage: npm run bench:nodo
 * Env: BENCH_DURATION_S=10 (per scenario), BENCH_WARMUP_S=2, BENCH_POSITIONS=100000,
 *      BENCH_POOL_SIZE=16 (the station's DATABASE_POOL_SIZE, per worker),
 *      BENCH_SOAP_WORKERS=1 (the station's SOAP_WORKERS, as its own default: on two cores shared
 *      with PostgreSQL and the generator one worker has the shorter tail, docs/benchmarks.md),
 *      BENCH_RECORD=1 (0: print only),
 *      BENCH_DB_SOCKET_DIR=<dir> (the station reaches PostgreSQL over its Unix socket in <dir>,
 *      e.g. /var/run/postgresql, instead of the TCP address of DATABASE_URL),
 *      BENCH_CPU_PROF=<dir> (the station writes a V8 CPU profile there when it stops),
 *      BENCH_NODE_ARGS="<flags>" (extra Node/V8 flags for the station, space-separated, e.g.
 *      --max-semi-space-size=32; unset: none),
 *      MIGRATE_DATABASE_URL / DATABASE_URL / REDIS_URL as for the platform (the database name is
 *      replaced by a throwaway one, dropped at the end).
 */
import { createHash, randomBytes } from "node:crypto";
import pg from "pg";
import { ensureStack, migrate } from "../../infra/local/stack.ts";
import { Database } from "../../server/platform/db/database.ts";
import { withDatabase } from "../../server/test/global-setup.ts";
import { applyPlatformPack } from "../../server/tenancy/index.ts";
import { demoPack } from "../../tenants/demo/pack.ts";
import { seedPositions } from "./seed-positions.ts";
import { BENCH_SUBSCRIPTION_KEY, load, type LoadResult } from "./load.ts";
import { getPaymentV2Body, verifyBody, type Routing } from "./soap-bodies.ts";
import { machine, printAndRecord, type ScenarioJournal } from "./report.ts";
import { startCeiling, startStation, stopAll, type Served } from "./station-process.ts";
import { backendCpu, backendCpuDelta, treeCpuSeconds } from "./cpu.ts";

const num = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} must be a positive number`);
  return v;
};
const seconds = num("BENCH_DURATION_S", 10);
const warmup = num("BENCH_WARMUP_S", 2);
const positions = Math.floor(num("BENCH_POSITIONS", 100_000));
const poolSize = Math.floor(num("BENCH_POOL_SIZE", 16));
const workers = Math.floor(num("BENCH_SOAP_WORKERS", 1));
const record = process.env.BENCH_RECORD !== "0";
const database = `pontepa_bench_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;

// Taken now: the load average is meant to describe the machine before the run.
const machineBefore = machine();
const stack = await ensureStack();
const admin = new pg.Client({ connectionString: withDatabase(stack.migrateUrl, "postgres") });
await admin.connect();
const ownerUrl = withDatabase(stack.migrateUrl, database);
const appUrl = withDatabase(stack.databaseUrl, database);
const socketDir = process.env.BENCH_DB_SOCKET_DIR;
const stationDbUrl = socketDir
  ? `${appUrl}${appUrl.includes("?") ? "&" : "?"}host=${encodeURIComponent(socketDir)}`
  : appUrl;

let cleaned: Promise<void> | undefined;
/** Stops the children and drops the database; safe to call twice (signal during finally). */
const cleanup = () =>
  (cleaned ??= (async () => {
    await stopAll();
    await admin
      .query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)
      .catch((err: Error) => console.error(`[bench] could not drop ${database}: ${err.message}`));
    await admin.end().catch(() => undefined);
  })());
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.error(`[bench] ${signal}: cleaning up`);
    void cleanup().finally(() => process.exit(130));
  });
}

/** Journal rows so far; polls until the count stops moving (the writer batches every ~20 ms). */
async function journalRows(client: pg.Client): Promise<number> {
  let last = -1;
  for (let i = 0; i < 60; i++) {
    const { rows } = await client.query<{ n: string }>("SELECT count(*) AS n FROM nodo_messages");
    const n = Number(rows[0]!.n);
    if (n === last) return n;
    last = n;
    await new Promise((r) => setTimeout(r, 500));
  }
  return last;
}

try {
  await admin.query(`CREATE DATABASE ${database}`);
  migrate(ownerUrl);
  const db = new Database({ url: appUrl, poolSize: 2 });
  await applyPlatformPack(db, demoPack(), { type: "system", id: "bench" });
  const tenant = await db.client.tenant.findUniqueOrThrow({ where: { fiscalCode: "00345670210" } });
  await db.close();
  // In production a station serves only authenticated callers, and the soap role refuses to start
  // while a PROD station has no certificate or key: every station of the pack gets the bench's key.
  const owner = new pg.Client({ connectionString: ownerUrl });
  await owner.connect();
  await owner.query("UPDATE stations SET subscription_key_hash = $1", [
    createHash("sha256").update(BENCH_SUBSCRIPTION_KEY).digest("hex"),
  ]);
  await owner.end();
  const t0 = performance.now();
  const navs = await seedPositions(ownerUrl, tenant.id, tenant.segregationCode, positions);
  console.log(
    `[bench] ${navs.length.toLocaleString("en")} positions inserted in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  const station = await startStation({
    databaseUrl: stationDbUrl,
    redisUrl: stack.redisUrl,
    queuePrefix: `pontepa-${database}`,
    poolSize,
    workers,
    cpuProfileDir: process.env.BENCH_CPU_PROF,
    nodeArgs: (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean),
  });
  const ceiling = await startCeiling();
  const check = new pg.Client({ connectionString: ownerUrl });
  check.on("error", () => undefined); // dropped with the database if the run fails
  await check.connect();

  const routing: Routing = { idPA: "00345670210", idBrokerPA: "80015570270", idStation: "80015570270_01" };
  // Verifies read random notices of the first half; activations take each notice of the second
  // half once (an activation locks its notice, and the success path is what is measured).
  const half = Math.floor(navs.length / 2);
  const randomNav = () => navs[Math.floor(Math.random() * half)]!;
  let next = half;
  const nextNav = () => navs[next < navs.length ? next++ : half + Math.floor(Math.random() * (navs.length - half))]!;
  const verify = () => verifyBody(routing, randomNav());
  const activate = () => getPaymentV2Body(routing, nextNav());

  const results: LoadResult[] = [];
  const journal: ScenarioJournal[] = [];
  let before = await journalRows(check);
  // The server's CPU per answer includes the journal's writes, so it is read after the drain.
  const timed = async (
    target: Served,
    run: () => Promise<LoadResult>,
    settle: () => Promise<unknown> = async () => undefined,
  ) => {
    const cpu0 = treeCpuSeconds(target.process.pid);
    const db0 = await backendCpu(check, database);
    const r = await run();
    await settle();
    const cpu1 = treeCpuSeconds(target.process.pid);
    const db1 = await backendCpu(check, database);
    if (cpu0 !== null && cpu1 !== null && r.requests) r.cpuMsPerAnswer = ((cpu1 - cpu0) * 1000) / r.requests;
    if (target === station && r.requests) r.dbCpuMsPerAnswer = (backendCpuDelta(db0, db1) * 1000) / r.requests;
    return r;
  };
  const measure = async (name: string, body: () => string, action: string, c: number) => {
    let after = before;
    const r = await timed(
      station,
      () => load(name, station.url, c, seconds, body, action),
      async () => (after = await journalRows(check)),
    );
    journal.push({ name, connections: c, sent: r.sent, rows: after - before });
    before = after;
    results.push(r);
    console.log(
      `[bench] ${name} c=${c}: ${Math.round(r.rps)}/s, p99 ${r.p99} ms, CPU ${r.cpuMsPerAnswer?.toFixed(2)} ms/answer (PostgreSQL ${r.dbCpuMsPerAnswer?.toFixed(2)}), ok ${r.ok}, faults ${JSON.stringify(r.faults)}`,
    );
  };

  console.log(`[bench] warm-up ${warmup} s per target`);
  await load("warm-up", ceiling.url, 16, warmup, verify, "paVerifyPaymentNotice");
  await load("warm-up", station.url, 16, warmup, verify, "paVerifyPaymentNotice");
  await load("warm-up", station.url, 16, warmup, activate, "paGetPaymentV2");
  before = await journalRows(check);
  for (const c of [16, 64]) {
    const r = await timed(ceiling, () =>
      load("ceiling (fixed answer)", ceiling.url, c, seconds, verify, "paVerifyPaymentNotice"),
    );
    results.push(r);
    console.log(`[bench] ceiling c=${c}: ${Math.round(r.rps)}/s, p99 ${r.p99} ms`);
    await measure("paVerifyPaymentNotice", verify, "paVerifyPaymentNotice", c);
    await measure("paGetPaymentV2", activate, "paGetPaymentV2", c);
  }
  const locks = await check.query<{ n: string }>(
    "SELECT count(*) AS n FROM payment_options WHERE locked_until IS NOT NULL",
  );
  await check.end();
  printAndRecord(results, {
    positions: navs.length,
    seconds,
    warmup,
    poolSize,
    workers,
    databaseLink: socketDir ? `its Unix socket (${socketDir})` : "TCP on loopback",
    activationsLocked: Number(locks.rows[0]!.n),
    distinctActivationNavs: next - half,
    activationPool: navs.length - half,
    journal,
    machine: machineBefore,
    record,
  });
} finally {
  await cleanup();
}
