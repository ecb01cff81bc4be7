import type { AppConfig } from "../config/env.ts";
import type { Database, Tx } from "../platform/db/database.ts";
import { AppError } from "../platform/errors.ts";
import type { Logger } from "../platform/observability/logger.ts";
import type { ImportTenant, RowOutcome } from "./apply-record.ts";
import { applyChunk } from "./apply-chunk.ts";
import { advanceCheckpoint, insertRowOutcomes, type ImportPaymentType } from "./import.repository.ts";
import { readRecords } from "./read-records.ts";
import { lastRowOf, RowError, type ImportRecord } from "./record.ts";

export interface ProcessImportDeps {
  db: Database;
  config: Pick<AppConfig, "IMPORT_CHUNK_SIZE" | "IMPORT_MAX_BYTES">;
  logger: Logger;
}

export interface ProcessImportHooks {
  /** Called inside each chunk's transaction before it commits (tests stop a worker here). */
  beforeCommit?: (chunk: number, tx: Tx) => Promise<void>;
}

export interface ImportSummary {
  status: "DONE" | "FAILED";
  accepted: number;
  rejected: number;
}

/**
 * Runs an import from its checkpoint to the end, in chunks of IMPORT_CHUNK_SIZE records. Each
 * chunk is one tenant transaction: its positions, its rows' outcomes and the new checkpoint
 * commit together or not at all. A worker killed halfway leaves the last committed chunk; the
 * job runs again (BullMQ hands a stalled job to another worker), re-reads the file from the top
 * and skips every record up to the checkpoint: no record twice, none lost. The file is read
 * again rather than seeked, since CSV rows have no fixed offsets; skipping is parsing only.
 */
export async function processImport(
  deps: ProcessImportDeps,
  tenantId: string,
  importId: string,
  hooks: ProcessImportHooks = {},
): Promise<ImportSummary> {
  const { db, config, logger } = deps;
  const start = await db.withTenant(tenantId, async (tx) => {
    const file = await tx.importFile.findUniqueOrThrow({ where: { tenantId_id: { tenantId, id: importId } } });
    if (file.status === "DONE" || file.status === "FAILED") return { file, tenant: null };
    await tx.importFile.update({
      where: { tenantId_id: { tenantId, id: importId } },
      data: { status: "RUNNING", startedAt: file.startedAt ?? new Date() },
    });
    const tenant = await tx.tenant.findUniqueOrThrow({
      where: { id: tenantId },
      select: { id: true, fiscalCode: true, segregationCode: true, auxDigit: true },
    });
    return { file, tenant };
  });
  const { file } = start;
  if (!start.tenant)
    return { status: file.status as "DONE" | "FAILED", accepted: file.accepted, rejected: file.rejected };
  const tenant: ImportTenant = start.tenant;
  const actor = { type: "system" as const, id: `import:${importId}` };

  let checkpoint = file.checkpointRow;
  let chunkNumber = 0;
  const commit = async (chunk: ImportRecord[]) => {
    const to = lastRowOf(chunk[chunk.length - 1]!);
    chunkNumber += 1;
    await db.withTenant(
      tenantId,
      async (tx) => {
        const types = new Map<string, ImportPaymentType | null>();
        const outcomes: RowOutcome[] = [];
        outcomes.push(...(await applyChunk({ tx, db, tenant, importId, actor, types }, chunk)));
        await insertRowOutcomes(tx, tenantId, importId, outcomes);
        const accepted = outcomes.filter((o) => o.outcome === "ACCEPTED").length;
        if (!(await advanceCheckpoint(tx, tenantId, importId, checkpoint, to, accepted, outcomes.length - accepted)))
          throw new AppError("IMPORT_DUPLICATE", "Another worker moved this import's checkpoint", 409);
        await hooks.beforeCommit?.(chunkNumber, tx);
      },
      { timeout: 300_000 },
    );
    checkpoint = to;
    logger.info({ importId, checkpoint }, "import chunk committed");
  };

  try {
    let chunk: ImportRecord[] = [];
    for await (const record of readRecords({ ...file, format: file.format }, tenant, config.IMPORT_MAX_BYTES)) {
      if (lastRowOf(record) <= checkpoint) continue;
      chunk.push(record);
      if (chunk.length >= config.IMPORT_CHUNK_SIZE) {
        await commit(chunk);
        chunk = [];
      }
    }
    if (chunk.length) await commit(chunk);
  } catch (err) {
    // The file itself is unreadable past this point (header, archive, encoding): stop for good,
    // keeping what was committed. Anything else (database, bug) propagates and the job retries.
    const fileLevel =
      err instanceof RowError || (err instanceof AppError && err.code === "IMPORT_FILE_INVALID") || isCsvError(err);
    if (!fileLevel) throw err;
    return finish(db, tenantId, importId, "FAILED", (err as Error).message);
  }
  return finish(db, tenantId, importId, "DONE");
}

const isCsvError = (err: unknown) =>
  typeof (err as { code?: unknown })?.code === "string" && (err as { code: string }).code.startsWith("CSV_");

async function finish(
  db: Database,
  tenantId: string,
  importId: string,
  status: "DONE" | "FAILED",
  failure?: string,
): Promise<ImportSummary> {
  const done = await db.withTenant(tenantId, (tx) =>
    tx.importFile.update({
      where: { tenantId_id: { tenantId, id: importId } },
      data: {
        status,
        finishedAt: new Date(),
        failure: failure ? `File non leggibile: ${failure}`.slice(0, 1000) : null,
      },
    }),
  );
  return { status, accepted: done.accepted, rejected: done.rejected };
}
