import type { Database } from "../../platform/db/database.ts";
import { AppError } from "../../platform/errors.ts";
import type { Logger } from "../../platform/observability/logger.ts";
import type { AcaClient } from "./aca-client.ts";
import { acaHash, acaPositionOf } from "./aca-notice.ts";
import { claimDueSyncs, markFromOutbox, recordSync, type ClaimedSync, type SyncResult } from "./aca.repository.ts";

export interface AcaSyncOptions {
  /** The clock for scheduling (tests travel in time). */
  now?: Date;
  /** Alignments sent per round, and outbox events read per round. */
  batch?: number;
  /** Stop starting new rounds after this long (the job runs again on its schedule). */
  budgetMs?: number;
  /**
   * Send only these councils' alignments (all when absent, as the job does). Tests that share
   * one database use it so a run never sends another test's councils to its own archive.
   */
  tenantIds?: string[];
}

export interface AcaSyncStats {
  events: number;
  created: number;
  updated: number;
  invalidated: number;
  unchanged: number;
  failed: number;
}

const SCOPE = "worker: ACA Stand-In alignment";
const LEASE_MS = 120_000;

/**
 * When to try a failed alignment again: 30 s after the first failure, four times longer each
 * time, capped at 6 hours. It never gives up: a stale archive would let pagoPA collect a
 * cancelled notice in Stand-In, so the row stays pending (and visible) until the archive answers.
 */
export function acaRetryAt(now: Date, attempts: number): Date {
  const delay = Math.min(30_000 * 4 ** Math.max(0, attempts - 1), 6 * 3_600_000);
  return new Date(now.getTime() + delay);
}

/**
 * One run of the Stand-In alignment: reads new outbox events into pending alignments, then
 * sends each due one from its position's current state (create or update while something is
 * payable, invalidate when nothing is), round after round until nothing is due or the budget is
 * spent. A council whose switch is off makes no call (its pending rows are simply closed).
 */
export async function runAcaSync(
  db: Database,
  client: AcaClient,
  logger: Logger,
  options: AcaSyncOptions = {},
): Promise<AcaSyncStats> {
  const stats: AcaSyncStats = { events: 0, created: 0, updated: 0, invalidated: 0, unchanged: 0, failed: 0 };
  const batch = options.batch ?? 50;
  const stopAt = Date.now() + (options.budgetMs ?? 20_000);
  for (;;) {
    const now = options.now ?? new Date();
    const read = await db.withPlatformScope(SCOPE, (tx) => markFromOutbox(tx, batch * 4, now));
    stats.events += read;
    if (read < batch * 4) break;
  }
  const sentThisRun = new Set<string>();
  while (Date.now() < stopAt) {
    const now = options.now ?? new Date();
    const claimed = (
      await db.withPlatformScope(SCOPE, (tx) => claimDueSyncs(tx, now, LEASE_MS, batch, options.tenantIds))
    ).filter(
      // A row bumped during this run and due again waits for the next run, so a run always ends.
      (c) => !sentThisRun.has(`${c.positionId}:${c.version}`),
    );
    if (!claimed.length) break;
    const results = await Promise.all(claimed.map((c) => alignOne(db, client, c, now, stats)));
    for (const c of claimed) sentThisRun.add(`${c.positionId}:${c.version}`);
    await db.withPlatformScope(SCOPE, async (tx) => {
      for (const r of results) await recordSync(tx, now, r);
    });
    for (const r of results.filter((x) => !x.ok))
      logger.warn({ tenantId: r.tenantId, positionId: r.positionId, error: r.error }, "ACA alignment failed");
  }
  return stats;
}

async function alignOne(
  db: Database,
  client: AcaClient,
  c: ClaimedSync,
  now: Date,
  stats: AcaSyncStats,
): Promise<SyncResult> {
  const base = { tenantId: c.tenantId, positionId: c.positionId, version: c.version };
  const unchanged = { ...base, ok: true, remoteState: c.remoteState, sentHash: c.sentHash };
  if (!c.acaEnabled) return unchanged;
  try {
    const position = await db.withTenant(c.tenantId, (tx) =>
      tx.debtPosition.findUnique({
        where: { id: c.positionId },
        include: { options: { include: { transfers: true } } },
      }),
    );
    const wanted = position ? acaPositionOf(position, { name: c.councilName }, now) : null;
    if (!wanted) {
      if (c.remoteState !== "VALID") {
        stats.unchanged++;
        return unchanged;
      }
      // 404: the archive never had it or dropped it; 409: already invalid or paid there. Both done.
      await client.invalidate(c.fiscalCode, c.iupd);
      stats.invalidated++;
      return { ...base, ok: true, remoteState: "INVALID", sentHash: null };
    }
    const hash = acaHash(wanted);
    if (c.remoteState === "VALID" && c.sentHash === hash) {
      stats.unchanged++;
      return unchanged;
    }
    // Create what the archive does not hold, update what it holds; each verb's refusal says to try the other.
    const first: "create" | "update" = c.remoteState === "NONE" ? "create" : "update";
    let outcome = await client[first](c.fiscalCode, wanted);
    let verb: "create" | "update" = first;
    if (outcome !== "ok") {
      verb = first === "create" ? "update" : "create";
      outcome = await client[verb](c.fiscalCode, wanted);
    }
    if (outcome !== "ok")
      throw new AppError("ACA_REJECTED", `the archive refused both create and update (${outcome})`, 502);
    if (verb === "create") stats.created++;
    else stats.updated++;
    return { ...base, ok: true, remoteState: "VALID", sentHash: hash };
  } catch (err) {
    stats.failed++;
    const e = err as Error & { code?: string };
    return {
      ...base,
      ok: false,
      error: e.code ? `${e.code}: ${e.message}` : e.message,
      nextAttemptAt: acaRetryAt(now, c.attempts),
    };
  }
}
