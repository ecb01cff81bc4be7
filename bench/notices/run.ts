/**
 * bench/notices: payment notices printed per second over 2,000 positions (a TARI-like mix: half
 * a single payment, half a single payment plus three installments, so one or two pages each),
 * next to a ceiling measured in the same run: the same Chromium pool printing one fixed,
 * already-rendered notice document over and over. Peak memory of this process and of the
 * Chromium process tree is sampled every second.
 * Then the mass-printing job end to end (selection to zip, merged PDF and manifest: startPrintRun
 * then processPrintRun as the worker runs it, two parts printing at once), with its ratio to
 * the ceiling and its peak memory, recorded as the table's third row.
 * Usage: npm run bench:notices
 * Env: BENCH_POSITIONS=2000, BENCH_CHUNK=50 (notices per Chromium call), BENCH_CONCURRENCY=2
 *      (chunks printing at once), PDF_MAX_PAGES=2, BENCH_RECORD=1 (0: print only),
 *      MIGRATE_DATABASE_URL / DATABASE_URL as for the platform (a throwaway database, dropped).
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { ensureStack, migrate } from "../../infra/local/stack.ts";
import { Database } from "../../server/platform/db/database.ts";
import { createChromiumPool } from "../../server/platform/pdf/index.ts";
import { loadConfig } from "../../server/config/env.ts";
import { withDatabase } from "../../server/test/global-setup.ts";
import { applyPlatformPack } from "../../server/tenancy/index.ts";
import { demoPack } from "../../tenants/demo/pack.ts";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { processPrintRun, renderNoticesBatch, startPrintRun } from "../../server/notices/index.ts";
import { createLogger } from "../../server/platform/observability/logger.ts";
import { machine } from "../nodo/report.ts";
import { printedDocument, seedNoticePositions } from "./seed.ts";
import { MemorySampler } from "./memory.ts";
import { record } from "./report.ts";

const num = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(v) || v <= 0) throw new Error(`${name} must be a positive integer`);
  return v;
};
const positions = num("BENCH_POSITIONS", 2_000);
const chunkSize = num("BENCH_CHUNK", 50);
const concurrency = num("BENCH_CONCURRENCY", 2);
const database = `pontepa_bench_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;

const stack = await ensureStack();
const admin = new pg.Client({ connectionString: withDatabase(stack.migrateUrl, "postgres") });
await admin.connect();
const ownerUrl = withDatabase(stack.migrateUrl, database);
const config = loadConfig({
  ...process.env,
  DATABASE_URL: withDatabase(stack.databaseUrl, database),
  REDIS_URL: stack.redisUrl,
});
const pool = createChromiumPool(config);
let db: Database | null = null;

try {
  await admin.query(`CREATE DATABASE ${database}`);
  migrate(ownerUrl);
  db = new Database({ url: config.DATABASE_URL, poolSize: 4 });
  await applyPlatformPack(db, demoPack(), { type: "system", id: "bench" });
  const tenant = await db.client.tenant.findUniqueOrThrow({ where: { fiscalCode: "00345670210" } });
  const t0 = performance.now();
  const seeded = await seedNoticePositions(db, tenant, positions);
  console.log(
    `[bench] ${positions.toLocaleString("en")} positions (${seeded.pages.toLocaleString("en")} notice pages) created in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  // Warm-up: start Chromium and open its pages, then compile templates.
  await pool.warmUp();
  const fixed = await printedDocument(db, tenant.id, seeded.ids.slice(0, chunkSize));
  await Promise.all(Array.from({ length: config.PDF_MAX_PAGES }, () => pool.render(fixed.html, { tagged: false })));

  // Ceiling: the pool printing the same, already-rendered chunk of notices, as many at once as the
  // batch runs, untagged like the batch.
  const sampler = new MemorySampler(() => pool.memory());
  const ceilingRounds = Math.max(2, Math.ceil(positions / chunkSize / 2));
  let c0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = 0; i < Math.ceil(ceilingRounds / concurrency); i++) await pool.render(fixed.html, { tagged: false });
    }),
  );
  const ceilingSeconds = (performance.now() - c0) / 1000;
  const ceilingNotices = Math.ceil(ceilingRounds / concurrency) * concurrency * fixed.notices;
  const ceilingMemory = sampler.stop();

  // The real thing: read, lay out, print and merge every position's notice, streamed by chunks.
  const batchSampler = new MemorySampler(() => pool.memory());
  c0 = performance.now();
  let notices = 0;
  let pages = 0;
  let bytes = 0;
  for await (const chunk of renderNoticesBatch({ db, pdf: pool }, tenant.id, {}, { chunkSize, concurrency })) {
    notices += chunk.notices.length;
    pages += chunk.pageCount;
    bytes += chunk.pdf?.length ?? 0;
  }
  const batchSeconds = (performance.now() - c0) / 1000;
  const batchMemory = batchSampler.stop();
  // The demo seed's own few positions of the council are printed too.
  if (notices < positions) throw new Error(`printed ${notices} notices for ${positions} positions`);

  // Mass printing end to end: the selection (every printable position), the job's parts with
  // their checkpoints, then the zip, the merged PDF and the manifest.
  const storage = await mkdtemp(path.join(os.tmpdir(), "bench-print-"));
  let massPrint;
  try {
    const runDeps = { db, pdf: pool, logger: createLogger({ level: "silent", role: "bench" }) };
    const massSampler = new MemorySampler(() => pool.memory());
    c0 = performance.now();
    const run = await startPrintRun(
      { db, config: { IMPORT_STORAGE_DIR: storage }, jobs: { enqueue: async () => undefined } as never },
      tenant.id,
      {},
      { type: "system", id: "bench" },
    );
    const printed = await processPrintRun(runDeps, tenant.id, run.id, { partSize: chunkSize });
    massPrint = {
      notices: printed.printed,
      pages: printed.pageCount,
      seconds: (performance.now() - c0) / 1000,
      partSize: chunkSize,
      memory: massSampler.stop(),
    };
    if (printed.status !== "DONE" || printed.printed < positions)
      throw new Error(
        `mass printing ended ${printed.status} with ${printed.printed} notices for ${positions} positions`,
      );
  } finally {
    await rm(storage, { recursive: true, force: true });
  }

  record(
    {
      positions,
      chunkSize,
      concurrency,
      maxPages: config.PDF_MAX_PAGES,
      batch: { notices, pages, seconds: batchSeconds, bytes, memory: batchMemory },
      ceiling: {
        notices: ceilingNotices,
        pagesPerNotice: fixed.pages / fixed.notices,
        seconds: ceilingSeconds,
        memory: ceilingMemory,
      },
      massPrint,
      machine: machine(),
    },
    process.env.BENCH_RECORD !== "0",
  );
} finally {
  await pool.close();
  await db?.close();
  await admin
    .query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)
    .catch((err: Error) => console.error(`[bench] could not drop ${database}: ${err.message}`));
  await admin.end();
}
