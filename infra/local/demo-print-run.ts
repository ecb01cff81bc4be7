/**
 * The demo's mass printing (issue 15 item 4): an import of N TARI debts for Borgo Fiorito (1,000
 * in `npm run demo`), applied here, and a *Stampa avvisi* run of those debts queued for the
 * worker, which prints them in the background once the platform is up. Safe to run again: the
 * same file is the same import (content hash), and a run already started for it is not doubled
 * (an unfinished one is queued again; the job id is the run's, so BullMQ keeps one).
 * Usage: node --import tsx infra/local/demo-print-run.ts [notices]   (DATABASE_URL, REDIS_URL, …)
 */
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import type { AppConfig } from "../../server/config/env.ts";
import type { Database } from "../../server/platform/db/database.ts";
import type { JobRegistry } from "../../server/platform/queue/registry.ts";
import type { Logger } from "../../server/platform/observability/logger.ts";
import { fiscalCodeControlChar } from "../../server/pagopa/index.ts";
import { findTenantByIpaCode } from "../../server/tenancy/index.ts";
import { processImport, startImport } from "../../server/imports/index.ts";
import { listPrintRuns, printRunJob, startPrintRun } from "../../server/notices/index.ts";

export const DEMO_PRINT_IPA = "c_x001";
export const DEMO_PRINT_NOTICES = 1_000;
const actor = { type: "system" as const, id: "demo-seed" };

export interface DemoPrintRunDeps {
  db: Database;
  config: Pick<AppConfig, "IMPORT_STORAGE_DIR" | "IMPORT_MAX_BYTES" | "IMPORT_CHUNK_SIZE">;
  jobs: Pick<JobRegistry, "enqueue">;
  logger: Logger;
}

const SURNAMES = ["RSS", "BNC", "VRD", "FRR", "GLL", "CST", "MRN", "RCC", "LNG", "CLR"];
const NAMES = ["MRA", "GPP", "LCU", "FNC", "NNA", "PLA", "GNN", "SRA"];
const MONTHS = "ABCDEHLMPRST";
const STREETS = ["Via dei Tigli", "Via Roma", "Piazza del Mercato", "Via dei Mulini", "Viale delle Rose"];

/** A valid person's fiscal code, different for each i below 10 × 8 × 60 × 12 × 28. */
function debtorFiscalCode(i: number): string {
  const first15 =
    SURNAMES[i % 10]! +
    NAMES[Math.floor(i / 10) % 8]! +
    String(40 + (Math.floor(i / 80) % 60)).padStart(2, "0") +
    MONTHS[Math.floor(i / 4_800) % 12]! +
    String(1 + (i % 28)).padStart(2, "0") +
    "H501";
  return first15 + fiscalCodeControlChar(first15);
}

/**
 * The demo's TARI file in PontePA's native layout: one position per household, every fourth
 * with two installments beside its single payment (a two-page notice), as a TARI mailing has.
 * The same n gives the same bytes, hence the same import.
 */
export function demoTariCsv(n: number): string {
  const lines = [
    "id_esterno;tipo_dovuto;codice_fiscale_debitore;nominativo_debitore;indirizzo_debitore;cap_debitore;comune_debitore;provincia_debitore;causale;rata;importo;scadenza",
  ];
  for (let i = 0; i < n; i++) {
    const id = `TARI-2027-${String(i + 1).padStart(6, "0")}`;
    const debtor = [
      debtorFiscalCode(i),
      `Contribuente ${i + 1}`,
      `${STREETS[i % STREETS.length]} ${1 + (i % 120)}`,
      "00100",
      "Borgo Fiorito",
      "RM",
    ].join(";");
    const cents = 8_000 + ((i * 1_237) % 32_000);
    const euro = (c: number) => `${Math.floor(c / 100)},${String(c % 100).padStart(2, "0")}`;
    const subject = "TARI 2027 - utenza domestica";
    lines.push(`${id};TARI;${debtor};${subject};;${euro(cents)};2027-05-31`);
    if (i % 4 === 0) {
      const first = Math.floor(cents / 2);
      lines.push(`${id};TARI;${debtor};${subject};1;${euro(first)};2027-05-31`);
      lines.push(`${id};TARI;${debtor};${subject};2;${euro(cents - first)};2027-10-31`);
    }
  }
  return lines.join("\n") + "\n";
}

export interface DemoPrintRun {
  importId: string;
  runId: string;
  /** False when an earlier run of this seed had already started it. */
  started: boolean;
}

/** Imports the demo file (inline: it is small) and queues the print run of its debts. */
export async function seedDemoPrintRun(
  deps: DemoPrintRunDeps,
  notices = DEMO_PRINT_NOTICES,
  ipaCode = DEMO_PRINT_IPA,
): Promise<DemoPrintRun> {
  const tenant = await findTenantByIpaCode(deps.db, ipaCode);
  if (!tenant) throw new Error(`demo council ${ipaCode} not found: run prisma/seed.ts first`);
  // The import is applied here rather than by the worker: no job is queued for it.
  const noJobs = { enqueue: async () => undefined } as unknown as DemoPrintRunDeps["jobs"];
  const { import: file } = await startImport(
    { ...deps, jobs: noJobs },
    tenant,
    { name: `tari-2027-${notices}.csv`, content: Readable.from([demoTariCsv(notices)]), source: "BACKOFFICE" },
    actor,
  );
  const summary = await processImport(deps, tenant.id, file.id);
  // accepted and rejected count rows (one per payment option), not positions.
  if (summary.status !== "DONE" || summary.rejected > 0)
    throw new Error(`demo import ${file.id}: ${summary.rejected} rows rejected (${summary.status})`);

  const earlier = (await listPrintRuns(deps.db, tenant.id)).find(
    (r) => (r.selection as { importId?: string } | null)?.importId === file.id,
  );
  if (earlier) {
    if (earlier.status !== "DONE" && earlier.status !== "FAILED")
      await deps.jobs.enqueue(printRunJob, { tenantId: tenant.id, runId: earlier.id });
    return { importId: file.id, runId: earlier.id, started: false };
  }
  const run = await startPrintRun(deps, tenant.id, { importId: file.id }, actor);
  return { importId: file.id, runId: run.id, started: true };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { loadConfig } = await import("../../server/config/env.ts");
  const { createDeps } = await import("../../server/platform/deps.ts");
  const notices = Number(process.argv[2] ?? DEMO_PRINT_NOTICES);
  const deps = createDeps(loadConfig(process.env), "demo-seed", { amountRulePlugins: [] });
  try {
    const seeded = await seedDemoPrintRun(deps, notices);
    console.log(
      `[seed] demo print run ${seeded.runId} of ${notices} notices ${seeded.started ? "queued" : "already there"} (import ${seeded.importId})`,
    );
  } finally {
    await deps.close();
  }
}
