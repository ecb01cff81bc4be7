/**
 * bench/nodo: throughput and latency of the Nodo station (paVerifyPaymentNotice and
 * paGetPaymentV2) with 100,000 positions in the database, at concurrency 16 and 64, next to a
 * ceiling measured in the same run (a minimal HTTP server returning a fixed SOAP answer).
 * Usage: npm run bench:nodo   (BENCH_DURATION_S=10, BENCH_POSITIONS=100000)
 */
import { spawn, type ChildProcess } from "node:child_process";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { ensureStack, migrate } from "../../infra/local/stack.ts";
import { Database } from "../../server/platform/db/database.ts";
import { applyPlatformPack } from "../../server/tenancy/index.ts";
import { demoPack } from "../../tenants/demo/pack.ts";
import { seedPositions } from "./seed-positions.ts";
import { load, type LoadResult } from "./load.ts";
import { getPaymentV2Body, verifyBody, type Routing } from "./soap-bodies.ts";
import { printAndRecord } from "./report.ts";

const root = path.resolve(import.meta.dirname, "../..");
const seconds = Number(process.env.BENCH_DURATION_S ?? 10);
const positions = Number(process.env.BENCH_POSITIONS ?? 100_000);
const SOAP_PORT = Number(process.env.BENCH_SOAP_PORT ?? 3201);
const CEILING_PORT = Number(process.env.BENCH_CEILING_PORT ?? 3202);
const children: ChildProcess[] = [];
const database = `pontepa_bench_${process.pid}`;

function child(script: string, env: NodeJS.ProcessEnv): ChildProcess {
  const c = spawn(process.execPath, ["--import", "tsx", script, ...(script.endsWith("main.ts") ? ["--role=soap"] : [])], { cwd: root, env, stdio: ["ignore", "ignore", "inherit"] });
  children.push(c);
  return c;
}

async function ready(url: string): Promise<void> {
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(url, { method: url.endsWith("healthz") ? "GET" : "POST", body: url.endsWith("healthz") ? undefined : "" })).status < 600) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not come up`);
}

const stack = await ensureStack();
const admin = new pg.Client({ connectionString: stack.migrateUrl.replace(/\/[^/]*$/, "/postgres") });
await admin.connect();
const withDb = (url: string) => url.replace(/\/[^/?]*(\?|$)/, `/${database}$1`);
try {
  await admin.query(`CREATE DATABASE ${database}`);
  migrate(withDb(stack.migrateUrl));
  const db = new Database({ url: withDb(stack.databaseUrl), poolSize: 2 });
  await applyPlatformPack(db, demoPack(), { type: "system", id: "bench" });
  const tenant = await db.client.tenant.findUniqueOrThrow({ where: { fiscalCode: "00345670210" } });
  await db.close();
  const t0 = performance.now();
  const navs = await seedPositions(withDb(stack.migrateUrl), tenant.id, tenant.segregationCode, positions);
  console.log(`[bench] ${navs.length} positions inserted in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  child("server/main.ts", { ...process.env, DATABASE_URL: withDb(stack.databaseUrl), REDIS_URL: stack.redisUrl, SOAP_PORT: String(SOAP_PORT), LOG_LEVEL: "warn", QUEUE_PREFIX: `pontepa-bench-${process.pid}`, DATABASE_POOL_SIZE: "16" });
  child("bench/nodo/ceiling-server.ts", { ...process.env, CEILING_PORT: String(CEILING_PORT) });
  const station = `http://127.0.0.1:${SOAP_PORT}/nodo/paForNode`;
  const ceiling = `http://127.0.0.1:${CEILING_PORT}/`;
  await ready(`http://127.0.0.1:${SOAP_PORT}/healthz`);
  await ready(ceiling);

  const routing: Routing = { idPA: "00345670210", idBrokerPA: "80015570270", idStation: "80015570270_01" };
  const half = Math.floor(navs.length / 2);
  const randomNav = () => navs[Math.floor(Math.random() * half)]!;
  let next = half; // activations take distinct notices from the second half
  const nextNav = () => navs[next++ % navs.length]!;
  const results: LoadResult[] = [];

  await load("warm-up", station, 16, 2, () => verifyBody(routing, randomNav()), "paVerifyPaymentNotice");
  for (const c of [16, 64]) {
    results.push(await load("ceiling (fixed answer)", ceiling, c, seconds, () => verifyBody(routing, randomNav()), "paVerifyPaymentNotice"));
    results.push(await load("paVerifyPaymentNotice", station, c, seconds, () => verifyBody(routing, randomNav()), "paVerifyPaymentNotice"));
    results.push(await load("paGetPaymentV2", station, c, seconds, () => getPaymentV2Body(routing, nextNav()), "paGetPaymentV2"));
  }
  await new Promise((r) => setTimeout(r, 500)); // let the journal's last batch land
  const check = new pg.Client({ connectionString: withDb(stack.migrateUrl) });
  await check.connect();
  const locks = await check.query<{ n: string }>("SELECT count(*) AS n FROM payment_options WHERE locked_until IS NOT NULL");
  const journal = await check.query<{ n: string }>("SELECT count(*) AS n FROM nodo_messages");
  await check.end();
  printAndRecord(results, {
    positions: navs.length,
    seconds,
    activationsLocked: Number(locks.rows[0]!.n),
    journalRows: Number(journal.rows[0]!.n),
    cpu: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "unknown CPU"}`,
  });
} finally {
  for (const c of children) c.kill("SIGTERM");
  await new Promise((r) => setTimeout(r, 2_000));
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
  await admin.end();
}
