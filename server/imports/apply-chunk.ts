import { createPositionsBatch, existingPositionKeys, type CreatePositionInput } from "../positions/index.ts";
import {
  applyRecord,
  issueOf,
  positionInput,
  acceptedRows,
  rejectedRows,
  type ApplyContext,
  type RowOutcome,
} from "./apply-record.ts";
import type { ImportRecord } from "./record.ts";
import { acceptedKeys, recordImportKeys } from "./import.repository.ts";

const keysOf = (r: ImportRecord) => [r.key, ...(r.altKeys ?? [])];

/**
 * Applies a chunk's records in file order. New debts that touch nothing existing (the bulk of
 * any load) go in batches through `createPositionsBatch`, a few multi-row statements for many
 * positions; every other record (modify, cancel, a key already known, a council-given NAV) is
 * applied alone under its own savepoint. A batch the database refuses as a whole is rolled back
 * to its savepoint and its records applied one by one, so each still gets its own outcome.
 */
export async function applyChunk(ctx: ApplyContext, records: ImportRecord[]): Promise<RowOutcome[]> {
  const known = await existingPositionKeys(ctx.tx, ctx.tenant.id, records.flatMap(keysOf));
  const outcomes: RowOutcome[] = [];
  let pending: Array<{ record: ImportRecord; input: CreatePositionInput }> = [];
  const pendingKeys = new Set<string>();

  const flush = async () => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    for (const { record } of batch) for (const k of keysOf(record)) known.add(k);
    pendingKeys.clear();
    await ctx.tx.$executeRawUnsafe("SAVEPOINT import_batch");
    let results;
    try {
      results = await createPositionsBatch(
        ctx.db,
        ctx.tx,
        ctx.tenant,
        batch.map((b) => b.input),
        ctx.actor,
        undefined,
        { auditEach: false },
      );
      await recordImportKeys(
        ctx.tx,
        ctx.tenant.id,
        acceptedKeys(
          batch.map((b) => b.record),
          results,
        ),
      );
      await ctx.tx.$executeRawUnsafe("RELEASE SAVEPOINT import_batch");
    } catch {
      await ctx.tx.$executeRawUnsafe("ROLLBACK TO SAVEPOINT import_batch");
      for (const { record } of batch) outcomes.push(...(await applyRecord(ctx, record)));
      return;
    }
    batch.forEach(({ record }, i) => {
      const result = results[i]!;
      if (result.ok) {
        outcomes.push(...acceptedRows(record, result.position));
        return;
      }
      const issue = issueOf(result.error, record);
      if (!issue) throw result.error;
      outcomes.push(...rejectedRows(record, issue));
    });
  };

  for (const record of records) {
    const bulk =
      !record.issue &&
      (record.action === "insert" || record.action === "upsert") &&
      record.position?.options.every((o) => !o.nav) &&
      keysOf(record).every((k) => !known.has(k) && !pendingKeys.has(k));
    if (!bulk) {
      await flush();
      outcomes.push(...(await applyRecord(ctx, record)));
      continue;
    }
    let input: CreatePositionInput;
    try {
      input = await positionInput(ctx, record);
    } catch (err) {
      const issue = issueOf(err, record);
      if (!issue) throw err;
      outcomes.push(...rejectedRows(record, issue));
      continue;
    }
    pending.push({ record, input });
    for (const k of keysOf(record)) pendingKeys.add(k);
  }
  await flush();
  return outcomes;
}
