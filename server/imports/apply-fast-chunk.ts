import type { FastTx } from "../platform/db/fast-sql.ts";
import {
  createPositionsBatch,
  existingPositionKeys,
  type BatchOptions,
  type CreatePositionInput,
} from "../positions/index.ts";
import {
  acceptedRows,
  issueOf,
  positionInput,
  rejectedRows,
  type ApplyContext,
  type RowOutcome,
} from "./apply-record.ts";
import { acceptedKeys, loadPaymentTypesForImport, recordImportKeys } from "./import.repository.ts";
import type { ImportRecord } from "./record.ts";

const keysOf = (r: ImportRecord) => [r.key, ...(r.altKeys ?? [])];

/**
 * The keys of a chunk made only of new debts as the file says (insert or upsert, no
 * council-given NAV, no key twice), else null: such a chunk may take the bulk lane if none of
 * its keys is known yet. `optionCount` is the most NAVs it can need.
 */
export function newDebtKeys(records: ImportRecord[]): Set<string> | null {
  const keys = new Set<string>();
  for (const record of records) {
    if (record.issue) continue;
    if (record.action !== "insert" && record.action !== "upsert") return null;
    if (record.position?.options.some((o) => o.nav)) return null;
    for (const k of keysOf(record)) {
      if (keys.has(k)) return null;
      keys.add(k);
    }
  }
  return keys;
}

export const optionCount = (records: ImportRecord[]) =>
  records.reduce((n, r) => n + (r.issue ? 0 : (r.position?.options.length ?? 0)), 0);

/** Thrown when the database refused the chunk's batch: the caller rolls back and takes the general path. */
export class FastChunkRefused extends Error {
  constructor(readonly reason: unknown) {
    super("The chunk's batch was refused; it goes the general way");
  }
}

/**
 * The bulk of any load, on pg without Prisma's engine (docs/decisions/0004): a chunk whose
 * records are all new debts touching nothing existing (no modify or cancel, no key known or
 * repeated, no council-given NAV) is written by `createPositionsBatch` in a `Database.sql`
 * tenant transaction, a dozen statements for the whole chunk. Answers null, having written
 * nothing, for any other chunk: `applyChunk` in a Prisma transaction then applies it record by
 * record where needed. Records the file already made invalid, or whose payment type is unknown,
 * are rejected here as there. If the database refuses the batch (a key raced in by another
 * writer), `FastChunkRefused` is thrown and the caller rolls back and takes the general path,
 * which gives each record its own outcome.
 */
export async function applyFastChunk(
  ctx: Omit<ApplyContext, "tx"> & { tx: FastTx; reserveNumbers?: BatchOptions["reserveNumbers"] },
  records: ImportRecord[],
): Promise<RowOutcome[] | null> {
  const keys = newDebtKeys(records);
  if (!keys || (await existingPositionKeys(ctx.tx, ctx.tenant.id, [...keys])).size > 0) return null;

  const codes = records.flatMap((r) => (r.issue ? [] : [r.position?.paymentTypeCode ?? ""]));
  const types = await loadPaymentTypesForImport(ctx.tx, ctx.tenant.id, codes);
  for (const code of codes) ctx.types.set(code, types.get(code) ?? null);

  const outcomes: RowOutcome[][] = new Array(records.length);
  const batch: Array<{ at: number; input: CreatePositionInput }> = [];
  for (const [at, record] of records.entries()) {
    if (record.issue) {
      outcomes[at] = rejectedRows(record, record.issue);
      continue;
    }
    try {
      batch.push({ at, input: await positionInput(ctx, record) });
    } catch (err) {
      const issue = issueOf(err, record);
      if (!issue) throw err;
      outcomes[at] = rejectedRows(record, issue);
    }
  }
  let results;
  try {
    results = batch.length
      ? await createPositionsBatch(
          ctx.db,
          ctx.tx,
          ctx.tenant,
          batch.map((b) => b.input),
          ctx.actor,
          undefined,
          { auditEach: false, reserveNumbers: ctx.reserveNumbers, externalIdsChecked: true },
        )
      : [];
    await recordImportKeys(
      ctx.tx,
      ctx.tenant.id,
      acceptedKeys(
        batch.map((b) => records[b.at]!),
        results,
      ),
    );
  } catch (err) {
    throw new FastChunkRefused(err);
  }
  batch.forEach(({ at }, i) => {
    const record = records[at]!;
    const result = results[i]!;
    if (result.ok) {
      outcomes[at] = acceptedRows(record, result.position);
      return;
    }
    const issue = issueOf(result.error, record);
    if (!issue) throw result.error;
    outcomes[at] = rejectedRows(record, issue);
  });
  return outcomes.flat();
}
