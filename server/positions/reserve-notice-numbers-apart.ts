import type { Database } from "../platform/db/database.ts";
import { allocateNoticeNumbers, type TenantNumbering } from "./allocate-notice-numbers.ts";

/** allocateNoticeNumbers' most per call. */
const PER_RESERVATION = 10_000;

/** Hands out, in order, NAV/IUV pairs reserved beforehand (createPositionsBatch's `reserveNumbers`). */
export type ReservedNumbers = (count: number) => Promise<Array<{ nav: string; iuv: string }>>;

/**
 * Reserves `count` notice numbers in short transactions of their own, committed before the
 * caller's writing transaction opens, so the council's counter row is held for a statement and
 * not until that transaction commits: concurrent creations of one council (API requests, two
 * chunks of an import) no longer queue on it. The price is gaps: numbers the writer does not use
 * (an input refused, a rollback) are never handed out again. pagoPA asks notice numbers to be
 * unique, not consecutive, and the keyed permutation hides the counter anyway. Reserved before
 * the writer's transaction, not from inside it, so a request never holds one pooled connection
 * while waiting for a second.
 */
export async function reserveNoticeNumbersApart(
  db: Pick<Database, "sql" | "iuvPermutationSecret">,
  tenant: TenantNumbering,
  count: number,
): Promise<ReservedNumbers> {
  const numbers: Array<{ nav: string; iuv: string }> = [];
  for (let left = count; left > 0; left -= PER_RESERVATION) {
    const n = Math.min(left, PER_RESERVATION);
    numbers.push(
      ...(await db.sql.withTenant(tenant.id, (tx) => allocateNoticeNumbers(tx, tenant, n, db.iuvPermutationSecret))),
    );
  }
  let next = 0;
  return async (wanted: number) => {
    if (next + wanted > numbers.length) throw new Error("More notice numbers asked for than were reserved");
    next += wanted;
    return numbers.slice(next - wanted, next);
  };
}
