/**
 * bench/import: rows per second and peak memory of a native CSV import (parse, checks, NAV
 * generation, positions, options, transfers, audit, outcome rows, checkpoints), next to
 * PostgreSQL's own `COPY` of the same file into an unindexed table of text columns in the same
 * run and database: the floor no row-by-row platform beats.
 * With BENCH_FORMAT=mypay the same debts go as a MyPay 1.4 zip (one CSV of 35 columns by
 * position), read through the zip checks and MyPay's reader; COPY loads the CSV inside it.
 * CPU: this process's user + system time during the import (process.cpuUsage: parse, checks,
 * statements' encoding) and PostgreSQL's, the backends connected to the bench database sampled
 * from /proc every 200 ms, each per row: steadier than rows per second on a shared machine.
 * Usage: npm run bench:import (20,000 native rows, about a minute)
 *        BENCH_ROWS=1000000 npm run bench:import (issue 15's target run)
 *        BENCH_FORMAT=mypay BENCH_ROWS=100000 npm run bench:import
 * Env: BENCH_ROWS=20000, BENCH_FORMAT=native|mypay, IMPORT_CHUNK_SIZE=1000 (same speed as 2,000, 50 MiB less
 *      peak memory), MIGRATE_DATABASE_URL /
 *      DATABASE_URL as for the platform (a throwaway database, dropped at the end).
 * The import writes two chunks at once (processImport), so the pool has room for both and for
 * the NAV reservations beside them.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { once } from "node:events";
import pg from "pg";
import { ensureStack, migrate } from "../../infra/local/stack.ts";
import { Database } from "../../server/platform/db/database.ts";
import { loadConfig } from "../../server/config/env.ts";
import { withDatabase } from "../../server/test/global-setup.ts";
import { applyPlatformPack } from "../../server/tenancy/index.ts";
import { demoPack } from "../../tenants/demo/pack.ts";
import { processImport, startImport } from "../../server/imports/index.ts";
import { createLogger } from "../../server/platform/observability/logger.ts";
import yazl from "yazl";
import { machine } from "../nodo/report.ts";
import { backendCpu } from "../nodo/cpu.ts";
import { schemaFloor } from "./schema-floor.ts";
import { AnalyzeMeanwhile } from "./analyze-meanwhile.ts";

const rows = Number(process.env.BENCH_ROWS ?? 20_000);
const chunk = Number(process.env.IMPORT_CHUNK_SIZE ?? 1_000);
const format = process.env.BENCH_FORMAT ?? "native";
if (format !== "native" && format !== "mypay") throw new Error("BENCH_FORMAT must be native or mypay");
if (!Number.isInteger(rows) || rows <= 0) throw new Error("BENCH_ROWS must be a positive integer");
const database = `pontepa_bench_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
const HEADER =
  "azione;id_esterno;tipo_dovuto;codice_fiscale_debitore;nominativo_debitore;indirizzo_debitore;cap_debitore;comune_debitore;provincia_debitore;causale;rata;importo;scadenza";

async function writeCsv(file: string) {
  const out = createWriteStream(file);
  out.write(HEADER + "\n");
  for (let i = 0; i < rows; i++) {
    const line = `I;TARI-B-${i};TARI;RSSMRA80A01H501U;Mario Rossi ${i};Via dei Tigli ${i % 300};00100;Borgo Fiorito;RM;TARI 2027 utenza ${i};;${100 + (i % 900)},${String(i % 100).padStart(2, "0")};2027-09-30\n`;
    if (!out.write(line)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}

/** MyPay 1.4 rows (35 columns by position, as mypay-import.int.test.ts writes them). */
async function writeMypayCsv(file: string) {
  const out = createWriteStream(file);
  out.write(Array.from({ length: 35 }, (_, i) => `col${i}`).join(";") + "\n");
  for (let i = 0; i < rows; i++) {
    const amount = `${100 + (i % 900)}.${String(i % 100).padStart(2, "0")}`;
    const cells = [
      `IUD-B-${i}`,
      "",
      "F",
      "RSSMRA80A01H501U",
      `Mario Rossi ${i}`,
      `Via dei Tigli`,
      String(i % 300),
      "00100",
      "Borgo Fiorito",
      "RM",
      "IT",
      "",
      "2027-09-30",
      amount,
      "",
      "TARI",
      "ALL",
      `TARI 2027 utenza ${i}`,
      "9/0101101IM/",
      "",
      "true",
      "false",
      ...Array<string>(12).fill(""),
      "I",
    ];
    if (!out.write(cells.join(";") + "\n")) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}

async function zipFile(csvPath: string, zipPath: string, entry: string) {
  const z = new yazl.ZipFile();
  z.addFile(csvPath, entry);
  z.end();
  const out = createWriteStream(zipPath);
  z.outputStream.pipe(out);
  await once(out, "finish");
}

/** CPU seconds of the bench database's backends, each pid's last reading kept (pools come and go). */
class BackendCpu {
  private first = new Map<number, number>();
  private last = new Map<number, number>();
  private timer: NodeJS.Timeout;
  private client: pg.Client;
  constructor(
    url: string,
    private readonly database: string,
  ) {
    this.client = new pg.Client({ connectionString: url });
    // One reading at a time: on a loaded machine a reading can outlast the 200 ms period.
    let busy = false;
    const tick = async () => {
      if (busy) return;
      busy = true;
      try {
        for (const [pid, s] of await backendCpu(this.client, database)) {
          if (!this.first.has(pid)) this.first.set(pid, this.started ? 0 : s);
          this.last.set(pid, s);
        }
      } finally {
        busy = false;
      }
    };
    this.timer = setInterval(() => void tick().catch(() => undefined), 200);
    this.ready = this.client.connect().then(tick);
  }
  ready: Promise<void>;
  started = false;
  start() {
    this.started = true;
  }
  async stop(): Promise<number> {
    clearInterval(this.timer);
    for (const [pid, s] of await backendCpu(this.client, this.database)) this.last.set(pid, s);
    await this.client.end();
    let sum = 0;
    for (const [pid, s] of this.last) sum += s - (this.first.get(pid) ?? 0);
    return sum;
  }
}

class PeakRss {
  peak = process.memoryUsage().rss;
  private timer = setInterval(() => (this.peak = Math.max(this.peak, process.memoryUsage().rss)), 100);
  stop() {
    clearInterval(this.timer);
    return Math.round(Math.max(this.peak, process.memoryUsage().rss) / 2 ** 20);
  }
}

const loadAtStart = loadavg()
  .map((l) => l.toFixed(1))
  .join(" ");
const stack = await ensureStack();
const admin = new pg.Client({ connectionString: withDatabase(stack.migrateUrl, "postgres") });
await admin.connect();
const ownerUrl = withDatabase(stack.migrateUrl, database);
const dir = await mkdtemp(path.join(tmpdir(), "pontepa-bench-import-"));
const config = loadConfig({
  ...process.env,
  DATABASE_URL: withDatabase(stack.databaseUrl, database),
  REDIS_URL: stack.redisUrl,
  IMPORT_STORAGE_DIR: dir,
  IMPORT_CHUNK_SIZE: String(chunk),
  IMPORT_MAX_BYTES: String(2 * 1024 ** 3),
});
let db: Database | null = null;
try {
  await admin.query(`CREATE DATABASE ${database}`);
  migrate(ownerUrl);
  db = new Database({ url: config.DATABASE_URL, poolSize: 4, iuvPermutationSecret: config.IUV_PERMUTATION_SECRET });
  await applyPlatformPack(db, demoPack(), { type: "system", id: "bench" });
  const tenant = await db.client.tenant.findUniqueOrThrow({ where: { fiscalCode: "00345670210" } });
  const tari = await db.withTenant(tenant.id, (tx) =>
    tx.paymentType.findFirstOrThrow({ where: { tenantId: tenant.id, code: "TARI" } }),
  );
  const csv = path.join(dir, "bench.csv");
  const upload = format === "mypay" ? `${tenant.ipaCode}-BENCH-1_4.zip` : "bench.csv";
  if (format === "mypay") {
    await writeMypayCsv(csv);
    await zipFile(csv, path.join(dir, upload), upload.replace(/\.zip$/, ".csv"));
  } else await writeCsv(csv);
  const bytes = (await stat(path.join(dir, upload))).size;
  const columns = format === "mypay" ? Array.from({ length: 35 }, (_, i) => `col${i}`) : HEADER.split(";");

  // PostgreSQL COPY of the same file into an unindexed table: the floor.
  const owner = new pg.Client({ connectionString: ownerUrl });
  await owner.connect();
  await owner.query(`CREATE UNLOGGED TABLE bench_copy (${columns.map((c) => `${c} text`).join(", ")})`);
  await owner.query("GRANT SELECT ON bench_copy TO PUBLIC"); // read by the schema floor as the platform's user
  // Dirty pages an earlier run left (a million-row run leaves gigabytes) are written out now,
  // not during this run: once, a 100,000-row import right after one waited 271 s on disk extends.
  await owner.query("CHECKPOINT");
  await owner.end();
  let t0 = performance.now();
  execFileSync("psql", [
    ownerUrl,
    "-q",
    "-c",
    `\\copy bench_copy FROM '${csv}' WITH (FORMAT csv, DELIMITER ';', HEADER true)`,
  ]);
  const copySeconds = (performance.now() - t0) / 1000;

  const statistics = await AnalyzeMeanwhile.start(ownerUrl);
  const pgCpu = new BackendCpu(ownerUrl, database);
  await pgCpu.ready;
  pgCpu.start();
  const memory = new PeakRss();
  const cpu0 = process.cpuUsage();
  t0 = performance.now();
  const started = await startImport(
    { db, config, jobs: { enqueue: async () => undefined } as never },
    tenant,
    { name: upload, content: createReadStream(path.join(dir, upload)), source: "API" },
    { type: "system", id: "bench" },
  );
  const summary = await processImport(
    { db, config, logger: createLogger({ level: "warn", role: "bench" }) },
    tenant.id,
    started.import.id,
  );
  const importSeconds = (performance.now() - t0) / 1000;
  await statistics.stop();
  const cpu = process.cpuUsage(cpu0);
  const nodeCpuSeconds = (cpu.user + cpu.system) / 1e6;
  const pgCpuSeconds = await pgCpu.stop();
  const peakMiB = memory.stop();
  if (summary.accepted !== rows)
    throw new Error(`accepted ${summary.accepted} of ${rows} rows (${summary.rejected} rejected)`);

  // The same debts written by set-based SQL straight from the COPY table (native layout only).
  const floor =
    format === "native"
      ? await schemaFloor({
          url: config.DATABASE_URL,
          tenantId: tenant.id,
          paymentTypeId: tari.id,
          importId: started.import.id,
          beneficiaryFiscalCode: tenant.fiscalCode,
          iban: "IT60X0542811101000000123456",
          navPrefix: `${tenant.auxDigit}${tenant.segregationCode === "99" ? "98" : "99"}9`,
          rowOffset: rows + 10,
        })
      : null;

  const result = {
    rows,
    format,
    chunk,
    fileMiB: Math.round((bytes / 2 ** 20) * 10) / 10,
    import: {
      seconds: +importSeconds.toFixed(2),
      rowsPerSecond: Math.round(rows / importSeconds),
      peakRssMiB: peakMiB,
      nodeCpuMsPerRow: +((nodeCpuSeconds * 1000) / rows).toFixed(3),
      postgresCpuMsPerRow: +((pgCpuSeconds * 1000) / rows).toFixed(3),
    },
    copy: { seconds: +copySeconds.toFixed(2), rowsPerSecond: Math.round(rows / copySeconds) },
    ratioToCopy: +(copySeconds / importSeconds).toFixed(4),
    schemaFloor: floor && {
      ...floor,
      rowsPerSecond: Math.round(rows / floor.seconds),
      ratioToCopy: +(copySeconds / floor.seconds).toFixed(4),
    },
    ratioToSchemaFloor: floor && +(floor.seconds / importSeconds).toFixed(3),
    projected1M: { seconds: Math.round((importSeconds / rows) * 1_000_000) },
    // Whether this server's autovacuum was off and the bench analysed the tables meanwhile.
    analyzedMeanwhile: statistics.emulating ? `${statistics.runs} ANALYZE runs (autovacuum off)` : "no (autovacuum on)",
    machine: machine(),
    loadAverageAtStart: loadAtStart,
    loadAverageAtEnd: loadavg()
      .map((l) => l.toFixed(1))
      .join(" "),
  };
  console.log(JSON.stringify(result, null, 2));
} finally {
  await db?.close();
  await admin
    .query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)
    .catch((err: Error) => console.error(`[bench] could not drop ${database}: ${err.message}`));
  await admin.end();
  await rm(dir, { recursive: true, force: true });
}
