import { rawExecute, rawQuery, type AnyTx } from "../platform/db/raw-sql.ts";

// The relay's statements. They run in platform scope (the relay is the worker acting for every
// council alike, like the expiry scheduler), each in a short transaction: nothing is held open
// while a council's server answers. Plain parameterised SQL, so the relay runs them on pg
// (`Database.sql`, no Prisma engine: docs/decisions/0004); a Prisma transaction takes them too.

/** A fixed key for the advisory lock that lets one fan-out run at a time (event order). */
const FAN_OUT_LOCK = 0x77656268; // "wehb"

/**
 * Claims events not yet relayed (FOR UPDATE SKIP LOCKED) and creates one delivery per endpoint
 * of their council subscribed to their type and registered before the event (a new endpoint
 * gets what happens from then on; older events come through a replay), marking them relayed in the same statement: an
 * event is fanned out exactly once, or not at all if the transaction fails. Paused endpoints get
 * their deliveries too; they wait until the endpoint is resumed.
 */
export async function fanOutEvents(tx: AnyTx, limit: number): Promise<number> {
  const [lock] = await rawQuery<{ ok: boolean }>(tx, "SELECT pg_try_advisory_xact_lock($1::bigint) AS ok", [
    FAN_OUT_LOCK,
  ]);
  if (!lock?.ok) return 0;
  const [row] = await rawQuery<{ events: number }>(
    tx,
    `WITH claimed AS (
      SELECT id, tenant_id, type, position_id, created_at FROM outbox_events
      WHERE relayed_at IS NULL ORDER BY id LIMIT $1::int FOR UPDATE SKIP LOCKED
    ), deliveries AS (
      INSERT INTO webhook_deliveries (id, tenant_id, endpoint_id, event_id, event_type, position_id)
      SELECT gen_random_uuid(), c.tenant_id, e.id, c.id, c.type, c.position_id
      FROM claimed c JOIN webhook_endpoints e ON e.tenant_id = c.tenant_id AND c.type = ANY(e.events)
        AND e.created_at <= c.created_at
      RETURNING 1
    ), relayed AS (
      UPDATE outbox_events o SET relayed_at = now() FROM claimed c WHERE o.id = c.id RETURNING 1
    )
    SELECT (SELECT count(*) FROM relayed)::int AS events, (SELECT count(*) FROM deliveries)::int AS deliveries`,
    [limit],
  );
  return row?.events ?? 0;
}

export interface ClaimedDelivery {
  id: string;
  tenantId: string;
  endpointId: string;
  eventId: string;
  attempts: number;
  createdAt: Date;
  url: string;
  secret: string;
  previousSecret: string | null;
  previousSecretUntil: Date | null;
  payload: unknown;
}

/**
 * Leases due deliveries of endpoints not paused. A delivery waits while an earlier event of the
 * same position is still pending for the same endpoint (per-endpoint ordering by position), and
 * a leased one is skipped until its lease runs out: a worker that died mid-send leaves it to the
 * next (at-least-once).
 */
export async function claimDueDeliveries(
  tx: AnyTx,
  now: Date,
  leaseMs: number,
  limit: number,
): Promise<ClaimedDelivery[]> {
  const leaseUntil = new Date(now.getTime() + leaseMs);
  return rawQuery<ClaimedDelivery>(
    tx,
    `WITH due AS (
      SELECT d.id FROM webhook_deliveries d
      JOIN webhook_endpoints e ON e.tenant_id = d.tenant_id AND e.id = d.endpoint_id AND NOT e.paused
      WHERE d.status = 'PENDING' AND d.next_attempt_at <= $1::timestamptz
        AND (d.lease_until IS NULL OR d.lease_until <= $1::timestamptz)
        AND NOT EXISTS (
          SELECT 1 FROM webhook_deliveries p
          WHERE p.endpoint_id = d.endpoint_id AND p.position_id = d.position_id
            AND p.status = 'PENDING' AND p.event_id < d.event_id)
      ORDER BY d.next_attempt_at, d.event_id
      LIMIT $3::int
      FOR UPDATE OF d SKIP LOCKED
    )
    UPDATE webhook_deliveries d SET lease_until = $2::timestamptz, attempts = d.attempts + 1
    FROM due, webhook_endpoints e, outbox_events o
    WHERE d.id = due.id AND e.tenant_id = d.tenant_id AND e.id = d.endpoint_id
      AND o.tenant_id = d.tenant_id AND o.id = d.event_id
    RETURNING d.id::text AS "id", d.tenant_id::text AS "tenantId", d.endpoint_id::text AS "endpointId",
      d.event_id::text AS "eventId", d.attempts AS "attempts", d.created_at AS "createdAt", e.url AS "url",
      e.secret AS "secret", e.previous_secret AS "previousSecret",
      e.previous_secret_until AS "previousSecretUntil", o.payload AS "payload"`,
    [now, leaseUntil, limit],
  );
}

export interface AttemptResult {
  id: string;
  tenantId: string;
  endpointId: string;
  ok: boolean;
  status: number | null;
  latencyMs: number;
  error: string | null;
  excerpt: string | null;
  /** Null with ok false: the delivery gives up (FAILED). */
  nextAttemptAt: Date | null;
}

/** Writes the attempts to the delivery log and the deliveries' new state, in one statement. */
export async function recordAttempts(tx: AnyTx, now: Date, results: readonly AttemptResult[]): Promise<void> {
  if (!results.length) return;
  const rows = JSON.stringify(
    results.map((r) => ({
      id: r.id,
      tenant_id: r.tenantId,
      ok: r.ok,
      status: r.status,
      latency_ms: r.latencyMs,
      error: r.error?.slice(0, 500) ?? null,
      excerpt: r.excerpt?.slice(0, 1000) ?? null,
      next_attempt_at: r.nextAttemptAt?.toISOString() ?? null,
    })),
  );
  await rawExecute(
    tx,
    `WITH r AS (
      SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, tenant_id uuid, ok boolean, status int,
        latency_ms int, error text, excerpt text, next_attempt_at timestamptz)
    ), logged AS (
      INSERT INTO webhook_attempts (id, tenant_id, delivery_id, attempted_at, status, latency_ms, error, response_excerpt)
      SELECT gen_random_uuid(), tenant_id, id, $2::timestamptz, status, latency_ms, error, excerpt FROM r
      RETURNING 1
    )
    UPDATE webhook_deliveries d SET
      status = (CASE WHEN r.ok THEN 'DELIVERED' WHEN r.next_attempt_at IS NULL THEN 'FAILED' ELSE 'PENDING' END)::webhook_delivery_status,
      lease_until = NULL, last_attempt_at = $2::timestamptz, last_status = r.status, last_latency_ms = r.latency_ms,
      last_error = r.error, delivered_at = CASE WHEN r.ok THEN $2::timestamptz END,
      next_attempt_at = coalesce(r.next_attempt_at, d.next_attempt_at)
    FROM r WHERE d.id = r.id AND d.tenant_id = r.tenant_id`,
    [rows, now],
  );
}

export interface PausedEndpoint {
  id: string;
  tenantId: string;
  url: string;
  consecutiveFailures: number;
}

/**
 * Counts failures in a row per endpoint (a success resets the count) and pauses the endpoints
 * that reached `pauseAfter`; returns those just paused, so their councils can be told once.
 */
export async function updateEndpointHealth(
  tx: AnyTx,
  now: Date,
  results: readonly AttemptResult[],
  pauseAfter: number,
): Promise<PausedEndpoint[]> {
  const byEndpoint = new Map<string, { failedAfterLastOk: number; anyOk: boolean }>();
  for (const r of results) {
    const e = byEndpoint.get(r.endpointId) ?? { failedAfterLastOk: 0, anyOk: false };
    if (r.ok) byEndpoint.set(r.endpointId, { failedAfterLastOk: 0, anyOk: true });
    else byEndpoint.set(r.endpointId, { ...e, failedAfterLastOk: e.failedAfterLastOk + 1 });
  }
  if (!byEndpoint.size) return [];
  const rows = JSON.stringify([...byEndpoint].map(([id, e]) => ({ id, reset: e.anyOk, failed: e.failedAfterLastOk })));
  // One UPDATE whose SET reads the row as locked (a concurrent relay's count is seen, not lost).
  const count = "((CASE WHEN h.reset THEN 0 ELSE e.consecutive_failures END) + h.failed)";
  const rowsUpdated = await rawQuery<PausedEndpoint & { justPaused: boolean }>(
    tx,
    `WITH h AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, reset boolean, failed int))
    UPDATE webhook_endpoints e SET
      consecutive_failures = ${count},
      paused = e.paused OR ${count} >= $2::int,
      paused_at = CASE WHEN NOT e.paused AND ${count} >= $2::int THEN $3::timestamptz ELSE e.paused_at END,
      paused_reason = CASE WHEN NOT e.paused AND ${count} >= $2::int
        THEN 'Sospeso automaticamente dopo ' || ${count} || ' tentativi falliti di fila' ELSE e.paused_reason END
    FROM h WHERE e.id = h.id
    RETURNING e.id::text AS "id", e.tenant_id::text AS "tenantId", e.url AS "url",
      e.consecutive_failures AS "consecutiveFailures", (e.paused AND e.paused_at = $3::timestamptz) AS "justPaused"`,
    [rows, pauseAfter, now],
  );
  return rowsUpdated.filter((r) => r.justPaused).map(({ justPaused: _, ...r }) => r);
}
