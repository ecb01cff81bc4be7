import { AppError } from "../platform/errors.ts";
import type { Database } from "../platform/db/database.ts";
import type { Logger } from "../platform/observability/logger.ts";
import { ACTIVATION_LOCK_MS, type ReceiptFollowUps } from "../positions/index.ts";
import { reconcilePending } from "../reconciliation/index.ts";
import { findLostReceipts } from "./find-lost-receipts.ts";
import type { ReceiptArchive } from "./receipt-archive.ts";
import { recoverReceipt, type RecoveryOutcome } from "./recover-receipt.ts";

export interface ReceiptRecoveryOptions {
  archive: ReceiptArchive;
  followUps: ReceiptFollowUps;
  afterMinutes: number;
  maxAttempts: number;
  /** Lookups in this run at most (pagoPA's rate limit); the rest wait for the next run. */
  perRun: number;
  /** For the matching that follows a recovered receipt (reconcilePending). */
  unreportedDays: number;
  now?: Date;
  ipa?: string;
}

export type RecoverySummary = Record<RecoveryOutcome, number> & { opened: number; stopped?: string };

/**
 * A run of the self-healing of receipts, for every council taking payments: open recoveries
 * for receipts that should exist, then look up the due ones (oldest first, at most `perRun`)
 * in pagoPA's archive. A council that got receipts back is reconciled at once, so its flow rows
 * find them and their "row without receipt" anomalies close. pagoPA's archive unavailable stops
 * the run (the next run carries on); one council's error does not stop the others.
 */
export async function runReceiptRecovery(
  db: Database,
  logger: Logger,
  options: ReceiptRecoveryOptions,
): Promise<RecoverySummary> {
  const now = options.now ?? new Date();
  const summary: RecoverySummary = { opened: 0, RECOVERED: 0, DELIVERED: 0, NOT_FOUND: 0, ERROR: 0, FAILED: 0 };
  const tenants = await db.withPlatformScope("scheduler: receipt recovery", (tx) =>
    tx.tenant.findMany({
      where: { status: { in: ["TEST", "LIVE"] }, ...(options.ipa ? { ipaCode: options.ipa } : {}) },
      select: { id: true, fiscalCode: true, name: true, sector: true },
      orderBy: { ipaCode: "asc" },
    }),
  );
  for (const t of tenants) {
    summary.opened += await db.withTenant(t.id, (tx) =>
      findLostReceipts(tx, t.id, { now, afterMs: options.afterMinutes * 60_000, activationLockMs: ACTIVATION_LOCK_MS }),
    );
  }
  const byId = new Map(tenants.map((t) => [t.id, t]));
  const due = await db.withPlatformScope("scheduler: receipt recovery", (tx) =>
    tx.receiptRecovery.findMany({
      where: { status: "PENDING", nextAttemptAt: { lte: now }, tenantId: { in: [...byId.keys()] } },
      select: { id: true, tenantId: true, iuv: true, iur: true, attempts: true },
      orderBy: { nextAttemptAt: "asc" },
      take: options.perRun,
    }),
  );
  const recovered = new Set<string>();
  for (const r of due) {
    const tenant = byId.get(r.tenantId)!;
    try {
      const outcome = await recoverReceipt(db, tenant, r, { ...options, now });
      summary[outcome] += 1;
      if (outcome === "RECOVERED" || outcome === "DELIVERED") recovered.add(tenant.id);
    } catch (err) {
      if (err instanceof AppError && err.code === "BIZEVENTS_UNAVAILABLE") {
        summary.stopped = err.message;
        logger.warn({ err }, "receipt recovery stopped: pagoPA's biz-events API is unavailable");
        break;
      }
      summary.ERROR += 1;
      logger.error({ err, tenantId: tenant.id, recoveryId: r.id }, "receipt recovery failed");
    }
  }
  for (const tenantId of recovered) {
    const t = byId.get(tenantId)!;
    await reconcilePending(db, t, { unreportedDays: options.unreportedDays, now }).catch((err: unknown) =>
      logger.error({ err, tenantId }, "reconciliation after receipt recovery failed"),
    );
  }
  return summary;
}
