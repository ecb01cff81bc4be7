import type { Tx } from "../../platform/db/database.ts";

// The ACA sync's statements, in platform scope (the worker acting for every council alike, as
// the webhook relay does), each in a short transaction: nothing stays open during a call.

const MARK_LOCK = 0x61636131; // "aca1": one reader of the outbox at a time

/**
 * Reads outbox events the sync has not seen (its own cursor, `aca_seen_at`, beside the webhook
 * relay's): every position event of a council with the switch on marks that position pending
 * (a new version, due at the run's clock); every event read is marked seen, whatever its council's switch. An
 * event is read once, or not at all if the transaction fails.
 */
export async function markFromOutbox(tx: Tx, limit: number, now: Date): Promise<number> {
  const [lock] = await tx.$queryRaw<Array<{ ok: boolean }>>`SELECT pg_try_advisory_xact_lock(${MARK_LOCK}) AS ok`;
  if (!lock?.ok) return 0;
  const [row] = await tx.$queryRaw<Array<{ events: number }>>`
    WITH claimed AS (
      SELECT id, tenant_id, type, position_id FROM outbox_events
      WHERE aca_seen_at IS NULL ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED
    ), touched AS (
      SELECT DISTINCT c.tenant_id, c.position_id, p.iupd FROM claimed c
      JOIN tenants t ON t.id = c.tenant_id AND t.aca_enabled
      JOIN debt_positions p ON p.tenant_id = c.tenant_id AND p.id = c.position_id
      WHERE c.type LIKE 'position.%'
    ), marked AS (
      INSERT INTO aca_syncs (tenant_id, position_id, iupd, next_attempt_at, updated_at)
      SELECT tenant_id, position_id, iupd, ${now}, now() FROM touched
      ON CONFLICT (tenant_id, position_id) DO UPDATE SET version = aca_syncs.version + 1, pending = true,
        attempts = 0, next_attempt_at = ${now}, updated_at = now()
      RETURNING 1
    ), seen AS (
      UPDATE outbox_events o SET aca_seen_at = now() FROM claimed c WHERE o.id = c.id RETURNING 1
    )
    SELECT (SELECT count(*) FROM seen)::int AS events, (SELECT count(*) FROM marked)::int AS marked`;
  return row?.events ?? 0;
}

/** Marks every position of a council pending: the switch just turned on, the archive must learn them all. */
export async function markAllOfTenant(tx: Tx, tenantId: string): Promise<number> {
  return tx.$executeRaw`
    INSERT INTO aca_syncs (tenant_id, position_id, iupd, updated_at)
    SELECT tenant_id, id, iupd, now() FROM debt_positions
    WHERE tenant_id = ${tenantId}::uuid AND status IN ('VALID', 'PARTIALLY_PAID')
    ON CONFLICT (tenant_id, position_id) DO UPDATE SET version = aca_syncs.version + 1, pending = true,
      attempts = 0, next_attempt_at = now(), updated_at = now()`;
}

export interface ClaimedSync {
  tenantId: string;
  positionId: string;
  iupd: string;
  version: number;
  attempts: number;
  remoteState: string;
  sentHash: string | null;
  fiscalCode: string;
  councilName: string;
  acaEnabled: boolean;
}

/**
 * Leases due alignments (FOR UPDATE SKIP LOCKED; the lease pushes next_attempt_at forward, so
 * a worker that died mid-call leaves the row to a later run).
 */
export async function claimDueSyncs(
  tx: Tx,
  now: Date,
  leaseMs: number,
  limit: number,
  tenantIds?: string[],
): Promise<ClaimedSync[]> {
  const leaseUntil = new Date(now.getTime() + leaseMs);
  const only = tenantIds ?? null;
  return tx.$queryRaw<ClaimedSync[]>`
    WITH due AS (
      SELECT tenant_id, position_id FROM aca_syncs
      WHERE pending AND next_attempt_at <= ${now}
        AND (${only}::uuid[] IS NULL OR tenant_id = ANY(${only}::uuid[]))
      ORDER BY next_attempt_at LIMIT ${limit} FOR UPDATE SKIP LOCKED
    )
    UPDATE aca_syncs s SET next_attempt_at = ${leaseUntil}, attempts = s.attempts + 1
    FROM due, tenants t
    WHERE s.tenant_id = due.tenant_id AND s.position_id = due.position_id AND t.id = s.tenant_id
    RETURNING s.tenant_id::text AS "tenantId", s.position_id::text AS "positionId", s.iupd, s.version,
      s.attempts, s.remote_state AS "remoteState", s.sent_hash AS "sentHash", t.fiscal_code AS "fiscalCode",
      t.name AS "councilName", t.aca_enabled AS "acaEnabled"`;
}

export interface SyncResult {
  tenantId: string;
  positionId: string;
  version: number;
  ok: boolean;
  remoteState?: string;
  sentHash?: string | null;
  error?: string;
  nextAttemptAt?: Date;
}

/**
 * Records one alignment's result. Success clears `pending` only if no event bumped the version
 * meanwhile (that newer state is sent on the next round); failure sets the next attempt.
 */
export async function recordSync(tx: Tx, now: Date, r: SyncResult): Promise<void> {
  if (r.ok) {
    await tx.$executeRaw`
      UPDATE aca_syncs SET remote_state = ${r.remoteState ?? "NONE"}, sent_hash = ${r.sentHash ?? null},
        synced_at = ${now}, last_error = NULL, updated_at = now(),
        pending = (version <> ${r.version}), attempts = 0,
        next_attempt_at = CASE WHEN version <> ${r.version} THEN ${now} ELSE next_attempt_at END
      WHERE tenant_id = ${r.tenantId}::uuid AND position_id = ${r.positionId}::uuid`;
    return;
  }
  await tx.$executeRaw`
    UPDATE aca_syncs SET last_error = ${(r.error ?? "").slice(0, 500)}, updated_at = now(),
      next_attempt_at = ${r.nextAttemptAt ?? now}
    WHERE tenant_id = ${r.tenantId}::uuid AND position_id = ${r.positionId}::uuid`;
}
