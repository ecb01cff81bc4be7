import type { Database, Tx } from "../platform/db/database.ts";
import type { FastTx } from "../platform/db/fast-sql.ts";

/** Default budget of one Nodo-facing transaction: well under the Nodo's 7 s timeout. */
export const DEFAULT_NODO_TX_MS = 4_000;

/**
 * Runs `fn` in the tenant's RLS scope with every wait bounded: the transaction as a whole
 * (Prisma rolls back past `timeoutMs`), each statement and each row-lock wait (PostgreSQL
 * `statement_timeout` / `lock_timeout`, local to the transaction). A stuck query or a long
 * queue on a hot row becomes an error the caller can answer, never a hang.
 */
export function withBoundedTenantTx<T>(
  db: Database,
  tenantId: string,
  timeoutMs: number,
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  return db.withTenant(tenantId, fn, { timeout: timeoutMs, statementTimeoutMs: Math.max(100, timeoutMs) });
}

/**
 * The same bounds on the station's `pg` hot path (`db.sql`): the Nodo operations run there, in
 * one round trip for BEGIN and the settings, then named prepared statements (docs/decisions/0004).
 */
export function withBoundedFastTx<T>(
  db: Database,
  tenantId: string,
  timeoutMs: number,
  fn: (tx: FastTx) => Promise<T>,
): Promise<T> {
  return db.sql.withTenant(tenantId, fn, { timeoutMs, statementTimeoutMs: Math.max(100, timeoutMs) });
}
