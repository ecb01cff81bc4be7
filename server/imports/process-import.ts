import type { AppConfig } from "../config/env.ts";
import type { Database, Tx } from "../platform/db/database.ts";
import type { FastTx } from "../platform/db/fast-sql.ts";
import type { AnyTx } from "../platform/db/raw-sql.ts";
import { applyFastChunk, FastChunkRefused, newDebtKeys, optionCount } from "./apply-fast-chunk.ts";
import { AppError } from "../platform/errors.ts";
import type { Logger } from "../platform/observability/logger.ts";
import type { ImportTenant, RowOutcome } from "./apply-record.ts";
import { applyChunk } from "./apply-chunk.ts";
import { advanceCheckpoint, insertRowOutcomes, type ImportPaymentType } from "./import.repository.ts";
import { readRecords } from "./read-records.ts";
import { lastRowOf, RowError, type ImportRecord } from "./record.ts";
import { emitEvent } from "../outbox/index.ts";
import { reserveNoticeNumbersApart } from "../positions/index.ts";
import { recordAuditMany } from "../audit/index.ts";

export interface ProcessImportDeps {
  db: Database;
  config: Pick<AppConfig, "IMPORT_CHUNK_SIZE" | "IMPORT_MAX_BYTES">;
  logger: Logger;
}

export interface ProcessImportHooks {
  /** Called inside each chunk's transaction before it commits (tests stop a worker here). */
  beforeCommit?: (chunk: number, tx: Tx | FastTx) => Promise<void>;
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
 * A chunk of new debts only goes on pg (`applyFastChunk`), any other through Prisma
 * (`applyChunk`); both write the same rows. The next chunk is read while the previous one
 * commits (at most one commit in flight, in file order), so parsing overlaps the database.
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
  // The chunk's outcomes, the checkpoint's move and the test hook, in the chunk's transaction.
  const close = async (tx: AnyTx, outcomes: RowOutcome[], to: number, n: number) => {
    await insertRowOutcomes(tx, tenantId, importId, outcomes);
    const accepted = outcomes.filter((o) => o.outcome === "ACCEPTED").length;
    // One entry for the chunk instead of one `position.create` per position it created
    // (docs/decisions/0007): each position names its import, each row its position (import_rows).
    await recordAuditMany(tx, [
      {
        tenantId,
        actor,
        action: "import.chunk",
        entityType: "ImportFile",
        entityId: importId,
        after: { fromRow: checkpoint + 1, toRow: to, accepted, rejected: outcomes.length - accepted },
      },
    ]);
    if (!(await advanceCheckpoint(tx, tenantId, importId, checkpoint, to, accepted, outcomes.length - accepted)))
      throw new AppError("IMPORT_DUPLICATE", "Another worker moved this import's checkpoint", 409);
    await hooks.beforeCommit?.(n, tx);
  };
  // NAVs of the bulk lane are reserved before its transaction, in a short one of their own, so
  // the counter's row is not held until a chunk commits and the next chunk can be written
  // meanwhile. Numbers a chunk does not use (rejected rows, a chunk that turns out to touch known
  // keys or rolls back) stay unused: a gap, never a duplicate.
  const reserveFor = (chunk: ImportRecord[]) => reserveNoticeNumbersApart(db, tenant, optionCount(chunk));
  // The bulk lane writes its rows first, then waits for the chunk before it (`previous`) to commit
  // and only then records its outcomes and moves the checkpoint: chunks commit in file order.
  const commitFast = async (
    chunk: ImportRecord[],
    to: number,
    n: number,
    previous: Promise<void>,
  ): Promise<boolean> => {
    if (!newDebtKeys(chunk)) {
      await previous;
      return false;
    }
    const reserveNumbers = await reserveFor(chunk);
    try {
      return await db.sql.withTenant(
        tenantId,
        async (tx) => {
          const types = new Map<string, ImportPaymentType | null>();
          const outcomes = await applyFastChunk({ tx, db, tenant, importId, actor, types, reserveNumbers }, chunk);
          await previous;
          if (!outcomes) return false;
          await close(tx, outcomes, to, n);
          return true;
        },
        { timeoutMs: 300_000 },
      );
    } catch (err) {
      if (!(err instanceof FastChunkRefused)) throw err;
      logger.info({ importId, err: err.reason }, "import chunk refused as a batch, applied record by record");
      await previous;
      return false;
    }
  };
  const commit = async (chunk: ImportRecord[], previous: Promise<void>) => {
    const to = lastRowOf(chunk[chunk.length - 1]!);
    const n = ++chunkNumber;
    if (!(await commitFast(chunk, to, n, previous)))
      await db.withTenant(
        tenantId,
        async (tx) => {
          const types = new Map<string, ImportPaymentType | null>();
          await close(tx, await applyChunk({ tx, db, tenant, importId, actor, types }, chunk), to, n);
        },
        { timeout: 300_000 },
      );
    checkpoint = to;
    logger.info({ importId, checkpoint }, "import chunk committed");
  };

  // Up to two chunks are written at once (one's rows go in while the other's are built and the
  // next is read: Node and PostgreSQL each busy), committing in file order; a failed commit stops
  // the reading, and a chunk after a failed one does not commit. A chunk naming a key of the chunk
  // before it waits for that one to commit first: two open transactions inserting one key would
  // each wait for the other.
  const inFlight: Array<{ done: Promise<void>; keys: Set<string> }> = [];
  const settle = async (keep = 0) => {
    while (inFlight.length > keep) await inFlight.shift()!.done;
  };
  const send = async (chunk: ImportRecord[]) => {
    await settle(MAX_IN_FLIGHT - 1);
    const keys = new Set(chunk.flatMap((r) => [r.key, ...(r.altKeys ?? [])]));
    const last = inFlight[inFlight.length - 1];
    if (last && [...keys].some((k) => last.keys.has(k))) await settle();
    const previous = inFlight[inFlight.length - 1]?.done ?? Promise.resolve();
    const done = commit(chunk, previous);
    done.catch(() => undefined); // awaited by settle(); not an unhandled rejection meanwhile
    inFlight.push({ done, keys });
  };
  try {
    let chunk: ImportRecord[] = [];
    try {
      for await (const record of readRecords({ ...file, format: file.format }, tenant, config.IMPORT_MAX_BYTES)) {
        if (lastRowOf(record) <= checkpoint) continue;
        chunk.push(record);
        if (chunk.length >= config.IMPORT_CHUNK_SIZE) {
          await send(chunk);
          chunk = [];
        }
      }
      if (chunk.length) await send(chunk);
    } finally {
      // What was read before a file-level error still commits (as before the overlap); a commit
      // that failed propagates from here, before the reader's error.
      await settle();
    }
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

/** Chunks being written at once: two keep both cores busy on a two-core machine. */
const MAX_IN_FLIGHT = 2;

const isCsvError = (err: unknown) =>
  typeof (err as { code?: unknown })?.code === "string" && (err as { code: string }).code.startsWith("CSV_");

async function finish(
  db: Database,
  tenantId: string,
  importId: string,
  status: "DONE" | "FAILED",
  failure?: string,
): Promise<ImportSummary> {
  const done = await db.withTenant(tenantId, async (tx) => {
    const file = await tx.importFile.update({
      where: { tenantId_id: { tenantId, id: importId } },
      data: {
        status,
        finishedAt: new Date(),
        failure: failure ? `File non leggibile: ${failure}`.slice(0, 1000) : null,
      },
    });
    // With the status, so the council's system hears once that the file is through.
    await emitEvent(tx, {
      tenantId,
      type: "import.finished",
      at: file.finishedAt ?? new Date(),
      data: { importId, status, accepted: file.accepted, rejected: file.rejected },
    });
    return file;
  });
  return { status, accepted: done.accepted, rejected: done.rejected };
}
