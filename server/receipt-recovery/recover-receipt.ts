import { AppError } from "../platform/errors.ts";
import type { Database } from "../platform/db/database.ts";
import { registerReceipt, type PayableNoticeTenant, type ReceiptFollowUps } from "../positions/index.ts";
import { recordRecoveryAnomaly } from "./recovery-anomaly.ts";
import type { ReceiptArchive } from "./receipt-archive.ts";

export interface DueRecovery {
  id: string;
  tenantId: string;
  iuv: string;
  iur: string;
  attempts: number;
}

export type RecoveryOutcome = "RECOVERED" | "DELIVERED" | "NOT_FOUND" | "ERROR" | "FAILED";

/** First retry after 5 minutes, then 10, 20, 40 … capped at a day. */
export const backoffMs = (attempts: number) => Math.min(5 * 60_000 * 2 ** Math.max(0, attempts - 1), 86_400_000);

/**
 * One lookup of one lost receipt. Found: stored by registerReceipt exactly as paSendRTV2 stores
 * it (same idempotency, outbox events and follow-ups; a receipt the Nodo delivered meanwhile is
 * not stored twice). Not found or unreadable: the attempt is counted and the next one backed off;
 * past `maxAttempts` the recovery fails and a person is told (RECEIPT_NOT_RECOVERED). The archive
 * being unavailable is thrown to the caller (the run stops; no attempt counted).
 */
export async function recoverReceipt(
  db: Database,
  tenant: PayableNoticeTenant,
  recovery: DueRecovery,
  deps: { archive: ReceiptArchive; followUps: ReceiptFollowUps; maxAttempts: number; now?: Date },
): Promise<RecoveryOutcome> {
  const now = deps.now ?? new Date();
  const close = (status: "RECOVERED" | "DELIVERED") =>
    db.withTenant(tenant.id, (tx) =>
      tx.receiptRecovery.update({
        where: { id: recovery.id },
        data: { status, closedAt: now, attempts: { increment: status === "RECOVERED" ? 1 : 0 }, lastError: null },
      }),
    );
  const delivered = await db.withTenant(tenant.id, (tx) =>
    tx.receipt.count({ where: { iuv: recovery.iuv, receiptId: recovery.iur } }),
  );
  if (delivered) {
    await close("DELIVERED");
    return "DELIVERED";
  }

  let problem: string;
  try {
    const receipt = await deps.archive.find({
      organizationFiscalCode: tenant.fiscalCode,
      iuv: recovery.iuv,
      iur: recovery.iur,
    });
    if (receipt) {
      if (receipt.creditorReferenceId !== recovery.iuv || receipt.receiptId !== recovery.iur) {
        problem = "pagoPA answered a receipt of another payment";
      } else {
        try {
          await registerReceipt(db, tenant, receipt, deps.followUps, { now });
          await close("RECOVERED");
          return "RECOVERED";
        } catch (err) {
          if (err instanceof AppError && err.code === "RECEIPT_DUPLICATE") {
            await close("DELIVERED");
            return "DELIVERED";
          }
          if (!(err instanceof AppError) || err.code === "RECEIPT_FOLLOW_UP_FAILED") throw err;
          problem = `${err.code}: ${err.message}`;
        }
      }
    } else {
      problem = "pagoPA has no such receipt";
    }
  } catch (err) {
    if (err instanceof AppError && err.code === "BIZEVENTS_UNAVAILABLE") throw err;
    if (!(err instanceof AppError)) throw err;
    problem = `${err.code}: ${err.message}`;
  }

  const attempts = recovery.attempts + 1;
  const failed = attempts >= deps.maxAttempts;
  await db.withTenant(tenant.id, async (tx) => {
    await tx.receiptRecovery.update({
      where: { id: recovery.id },
      data: {
        attempts,
        lastError: problem.slice(0, 500),
        status: failed ? "FAILED" : "PENDING",
        closedAt: failed ? now : null,
        nextAttemptAt: new Date(now.getTime() + backoffMs(attempts)),
      },
    });
    if (failed) await recordRecoveryAnomaly(tx, tenant.id, recovery, attempts, problem);
  });
  if (failed) return "FAILED";
  return problem === "pagoPA has no such receipt" ? "NOT_FOUND" : "ERROR";
}
