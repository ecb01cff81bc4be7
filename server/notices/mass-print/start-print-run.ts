import { randomUUID } from "node:crypto";
import { resolve } from "node:path";
import type { AppConfig } from "../../config/env.ts";
import type { Database } from "../../platform/db/database.ts";
import { AppError } from "../../platform/errors.ts";
import type { JobRegistry } from "../../platform/queue/registry.ts";
import { recordAudit, type Actor } from "../../audit/index.ts";
import type { PrintRun } from "../../generated/prisma/client.ts";
import { countSelected, printSelectionSchema, type PrintSelection } from "./print-run.repository.ts";
import { printRunJob } from "./print-run.job.ts";

export interface StartPrintRunDeps {
  db: Database;
  config: Pick<AppConfig, "IMPORT_STORAGE_DIR">;
  jobs: Pick<JobRegistry, "enqueue">;
}

/**
 * Starts a mass printing of the notices a selection holds (an import, a payment type, a due-date
 * range) and queues the job that prints them. The run's files go under
 * IMPORT_STORAGE_DIR/<tenant>/stampe/<run id>/.
 * @throws AppError PRINT_SELECTION_INVALID (422) for a bad selection, PRINT_RUN_EMPTY (422) when nothing is printable
 */
export async function startPrintRun(
  deps: StartPrintRunDeps,
  tenantId: string,
  input: PrintSelection,
  actor: Actor,
  requestId?: string,
): Promise<PrintRun> {
  const parsed = printSelectionSchema.safeParse(input);
  if (!parsed.success) throw new AppError("PRINT_SELECTION_INVALID", parsed.error.issues[0]!.message, 422);
  const selection = parsed.data;
  const id = randomUUID();
  const run = await deps.db.withTenant(tenantId, async (tx) => {
    const total = await countSelected(tx, tenantId, selection);
    if (total === 0)
      throw new AppError(
        "PRINT_RUN_EMPTY",
        "Nessun avviso da stampare: la selezione non contiene posizioni pagabili",
        422,
      );
    const created = await tx.printRun.create({
      data: {
        id,
        tenantId,
        selection,
        total,
        storageDir: resolve(deps.config.IMPORT_STORAGE_DIR, tenantId, "stampe", id),
        createdBy: actor.id,
      },
    });
    await recordAudit(tx, {
      tenantId,
      actor,
      action: "notices.print-run",
      entityType: "PrintRun",
      entityId: id,
      after: { selection, total },
      requestId,
    });
    return created;
  });
  await deps.jobs.enqueue(printRunJob, { tenantId, runId: id });
  return run;
}

/** A print run and how far it got. */
export async function getPrintRun(db: Database, tenantId: string, runId: string) {
  const run = await db.withTenant(tenantId, (tx) =>
    tx.printRun.findUnique({ where: { tenantId_id: { tenantId, id: runId } } }),
  );
  if (!run) throw new AppError("NOT_FOUND", "Stampa non trovata", 404);
  const finished = run.status === "DONE" || run.status === "FAILED";
  const done = run.printed + run.skipped;
  const percent = finished ? 100 : run.total ? Math.min(99, Math.floor((done / run.total) * 100)) : null;
  return { run, finished, percent, selection: printSelectionSchema.parse(run.selection) };
}

/** The council's latest print runs, newest first. */
export async function listPrintRuns(db: Database, tenantId: string, take = 30): Promise<PrintRun[]> {
  return db.withTenant(tenantId, (tx) =>
    tx.printRun.findMany({ where: { tenantId }, orderBy: { createdAt: "desc" }, take }),
  );
}
