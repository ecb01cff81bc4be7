import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { PDFDocument } from "pdf-lib";
import yauzl from "yauzl";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Database } from "../../platform/db/database.ts";
import { createChromiumPool } from "../../platform/pdf/index.ts";
import { fakeOrgFiscalCode, makeTenant } from "../../test/factories.ts";
import { importConfig, seedImportCatalog, silentLogger } from "../../test/import-fixtures.ts";
import { testConfig } from "../../test/support.ts";
import { processImport, startImport } from "../../imports/index.ts";
import type { Tenant } from "../../generated/prisma/client.ts";
import { getPrintRun, startPrintRun } from "./start-print-run.ts";
import { processPrintRun } from "./process-print-run.ts";
import { printRunFileNames } from "./print-run-files.ts";
import { processAlive } from "../../platform/pdf/orphaned-chromium.ts";

const actor = { type: "staff" as const, id: "print-test" };

/** Nine debts by import: single payments due in January or March, and one with installments. */
function nativeCsv(prefix: string): string {
  const lines = [
    "id_esterno;tipo_dovuto;codice_fiscale_debitore;nominativo_debitore;indirizzo_debitore;cap_debitore;comune_debitore;provincia_debitore;causale;rata;importo;scadenza",
  ];
  for (let i = 1; i <= 8; i++)
    lines.push(
      `${prefix}-${i};MENSA;RSSMRA80A01H501U;Debitore ${i};Via Roma ${i};00100;Roma;RM;Mensa ${i};;${10 + i},00;2027-0${i % 2 ? 1 : 3}-15`,
    );
  lines.push(`${prefix}-9;MENSA;RSSMRA80A01H501U;Debitore 9;Via Roma 9;00100;Roma;RM;Mensa rate;1;20,00;2027-01-31`);
  lines.push(`${prefix}-9;MENSA;RSSMRA80A01H501U;Debitore 9;Via Roma 9;00100;Roma;RM;Mensa rate;2;20,00;2027-02-28`);
  return lines.join("\n");
}

function zipEntries(file: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const names: string[] = [];
      zip.on("entry", (e: yauzl.Entry) => {
        names.push(e.fileName);
        zip.readEntry();
      });
      zip.on("end", () => resolve(names));
      zip.on("error", reject);
      zip.readEntry();
    });
  });
}

describe("mass notice printing (selection, parts with checkpoints, zip + merged PDF + manifest)", () => {
  const db = new Database({ url: inject("databaseUrl") });
  const pdf = createChromiumPool(testConfig());
  let root: string;
  let tenant: Tenant;
  let importId: string;
  const jobs = { enqueue: async () => undefined } as never;
  const deps = () => ({
    db,
    pdf,
    logger: silentLogger,
    config: { IMPORT_STORAGE_DIR: root, ...importConfig(50) },
    jobs,
  });

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), "print-"));
    tenant = await makeTenant(db);
    await seedImportCatalog(db, tenant, fakeOrgFiscalCode());
    const started = await startImport(
      deps(),
      tenant,
      { name: "mensa.csv", content: Readable.from([nativeCsv("P")]), source: "BACKOFFICE" },
      actor,
    );
    importId = started.import.id;
    expect((await processImport(deps(), tenant.id, importId)).accepted).toBe(10);
  });
  afterAll(async () => {
    await pdf.close();
    await db.close();
    await rm(root, { recursive: true, force: true });
  });

  async function outputs(runId: string) {
    const { run } = await getPrintRun(db, tenant.id, runId);
    const names = printRunFileNames(tenant.ipaCode, run.createdAt);
    const manifest = (await readFile(path.join(run.storageDir, names.manifest), "utf8")).trim().split(/\r?\n/);
    const merged = await PDFDocument.load(await readFile(path.join(run.storageDir, names.pdf)));
    return { run, manifest, pages: merged.getPageCount(), zip: await zipEntries(path.join(run.storageDir, names.zip)) };
  }

  it("refuses a selection with nothing to print, and selects by due date", async () => {
    await expect(startPrintRun(deps(), tenant.id, { importId, dueFrom: "2030-01-01" }, actor)).rejects.toMatchObject({
      code: "PRINT_RUN_EMPTY",
    });
    const march = await startPrintRun(
      deps(),
      tenant.id,
      { importId, dueFrom: "2027-03-01", dueTo: "2027-03-31" },
      actor,
    );
    expect(march.total).toBe(4);
    const january = await startPrintRun(deps(), tenant.id, { paymentTypeCode: "MENSA", dueTo: "2027-01-31" }, actor);
    expect(january.total).toBe(5); // four single payments and the installment plan's first rate
  });

  it("prints an import in parts; a worker killed mid-run resumes to the same result", async () => {
    const whole = await startPrintRun(deps(), tenant.id, { importId }, actor);
    expect(await processPrintRun(deps(), tenant.id, whole.id, { partSize: 4 })).toMatchObject({
      status: "DONE",
      printed: 9,
      skipped: 0,
    });
    const a = await outputs(whole.id);
    expect(a.manifest[0]).toBe(
      "progressivo;file;pagina_iniziale;pagine;numeri_avviso;id_posizione;nominativo;indirizzo;cap;comune;provincia",
    );
    expect(a.manifest).toHaveLength(10);
    expect(a.manifest[1]).toMatch(
      /^1;avviso-3\d{17}-[^;]+\.pdf;1;1;3\d{17};[0-9a-f-]{36};Debitore 1;Via Roma 1;00100;Roma;RM$/,
    );
    // The installment plan prints on two pages, with its two notice numbers.
    expect(a.manifest[9]).toMatch(/^9;avviso-\d{18}-[^;]+\.pdf;9;2;\d{18} \d{18};/);
    expect(a.pages).toBe(a.run.pageCount);
    expect(a.pages).toBe(10);
    expect(a.zip).toEqual(a.manifest.slice(1).map((l) => l.split(";")[1]));
    // Working parts are gone once assembled.
    expect((await readdir(a.run.storageDir)).filter((f) => !f.startsWith("avvisi-"))).toEqual([]);

    // Same selection, the worker dies in the second part's transaction (files written, not committed).
    const killed = await startPrintRun(deps(), tenant.id, { importId }, actor);
    const crash = async (part: number) => {
      if (part === 2) throw new Error("worker killed");
    };
    await expect(processPrintRun(deps(), tenant.id, killed.id, { partSize: 4, beforeCommit: crash })).rejects.toThrow(
      "worker killed",
    );
    const half = await getPrintRun(db, tenant.id, killed.id);
    expect(half.run).toMatchObject({ status: "RUNNING", checkpointPart: 1, printed: 4 });
    expect(half.percent).toBe(44);
    expect(await processPrintRun(deps(), tenant.id, killed.id, { partSize: 4 })).toMatchObject({
      status: "DONE",
      printed: 9,
      pageCount: 10,
    });
    const b = await outputs(killed.id);
    expect(b.manifest).toEqual(a.manifest);
    expect(b.zip).toEqual(a.zip);
    expect(b.pages).toBe(a.pages);
    // A finished run run again does nothing.
    expect(await processPrintRun(deps(), tenant.id, killed.id)).toMatchObject({ status: "DONE", printed: 9 });
  });

  it("a worker process SIGKILLed mid-run: the retried job's zip, PDF and manifest equal an uninterrupted run's", async () => {
    const whole = await startPrintRun(deps(), tenant.id, { importId }, actor);
    await processPrintRun(deps(), tenant.id, whole.id, { partSize: 2 });
    const a = await outputs(whole.id);

    const killed = await startPrintRun(deps(), tenant.id, { importId }, actor);
    // The whole worker process group is killed, as a dying container would be. Chromium is not in
    // that group (puppeteer starts it detached): it must go by itself when its owner dies.
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        path.resolve(import.meta.dirname, "../../test/print-worker-child.ts"),
        inject("databaseUrl"),
        tenant.id,
        killed.id,
        "2",
      ],
      { stdio: ["ignore", "pipe", "ignore"], detached: true },
    );
    const exited = new Promise((r) => child.once("exit", r));
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    const progress = () => getPrintRun(db, tenant.id, killed.id).then((v) => v.run.checkpointPart);
    const deadline = Date.now() + 60_000;
    while ((await progress()) < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    process.kill(-child.pid!, "SIGKILL");
    await exited;
    const chromiumPid = Number(/chromium (\d+)/.exec(output)?.[1]);
    expect(chromiumPid).toBeGreaterThan(0);
    try {
      // Chromium notices its DevTools pipe closing and shuts down; give it a few seconds.
      const gone = Date.now() + 10_000;
      while ((await processAlive(chromiumPid)) && Date.now() < gone) await new Promise((r) => setTimeout(r, 100));
      expect(await processAlive(chromiumPid), "the killed worker's Chromium is still running").toBe(false);
    } finally {
      // Whatever the outcome, this test leaves no browser behind.
      if (await processAlive(chromiumPid)) process.kill(-chromiumPid, "SIGKILL");
    }
    const half = await getPrintRun(db, tenant.id, killed.id);
    expect(half.run.status).toBe("RUNNING");
    expect(half.run.checkpointPart).toBeGreaterThanOrEqual(2);
    expect(half.run.checkpointPart).toBeLessThan(5);

    expect(await processPrintRun(deps(), tenant.id, killed.id, { partSize: 2 })).toMatchObject({
      status: "DONE",
      printed: 9,
      pageCount: 10,
    });
    const b = await outputs(killed.id);
    expect(b.manifest).toEqual(a.manifest);
    expect(b.zip).toEqual(a.zip);
    expect(b.pages).toBe(a.pages);
  });
});
