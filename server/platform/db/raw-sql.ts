import type { Tx } from "./database.ts";
import { FastTx, type Row } from "./fast-sql.ts";

/**
 * A transaction of either door: Prisma's (`Database.withTenant`) or the pg one
 * (`Database.sql.withTenant`). Bulk write paths (imports, the API's batch) take either, so the
 * same statements run inside a Prisma transaction next to ORM calls or, on the hot path, on pg
 * without Prisma's engine (docs/decisions/0004). RLS applies the same in both.
 */
export type AnyTx = Tx | FastTx;

/**
 * One parameterised statement in `tx`. On pg the values are bound as they are (a bigint comes
 * back as a string); on Prisma through `$queryRawUnsafe` (a bigint comes back as a bigint):
 * callers convert with `BigInt(String(v))` or `Number(v)`.
 */
export async function rawQuery<R = Row>(tx: AnyTx, text: string, values: readonly unknown[] = []): Promise<R[]> {
  if (tx instanceof FastTx) return tx.run<R>(text, values);
  return tx.$queryRawUnsafe<R[]>(text, ...values);
}

/** A statement whose rows are not wanted (INSERT, UPDATE). */
export async function rawExecute(tx: AnyTx, text: string, values: readonly unknown[] = []): Promise<void> {
  if (tx instanceof FastTx) await tx.run(text, values);
  else await tx.$executeRawUnsafe(text, ...values);
}
