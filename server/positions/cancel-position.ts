import type { Database, Tx } from "../platform/db/database.ts";
import { AppError } from "../platform/errors.ts";
import { recordAudit, type Actor } from "../audit/index.ts";
import { emitEvent } from "../outbox/index.ts";

/**
 * Cancels a debt position at the council's request: every unpaid option becomes CANCELLED, so
 * the Nodo answers PAA_PAGAMENTO_ANNULLATO from now on. A position with a payment already made
 * or in progress at a PSP (live activation lock) cannot be cancelled: money may be on its way.
 * The row is locked first, so a getPayment racing the cancel waits and then sees it.
 * @throws AppError NOT_FOUND, POSITION_NOT_CANCELLABLE (409)
 */
export async function cancelPosition(
  db: Database,
  tenantId: string,
  positionId: string,
  reason: string,
  actor: Actor,
  requestId?: string,
): Promise<void> {
  const why = reason.trim();
  if (why.length < 3 || why.length > 500)
    throw new AppError("REASON_REQUIRED", "Indica il motivo dell'annullamento (da 3 a 500 caratteri)", 422);
  await db.withTenant(tenantId, (tx) => cancelPositionInTx(tx, tenantId, positionId, why, actor, requestId));
}

/**
 * The cancel inside the caller's tenant transaction (a file import cancels many positions, each
 * under its own savepoint, in one chunk's transaction).
 * @throws AppError NOT_FOUND, POSITION_NOT_CANCELLABLE (409)
 */
export async function cancelPositionInTx(
  tx: Tx,
  tenantId: string,
  positionId: string,
  why: string,
  actor: Actor,
  requestId?: string,
): Promise<void> {
  const locked = await tx.$queryRaw<
    Array<{ status: string }>
  >`SELECT status::text FROM debt_positions WHERE tenant_id = ${tenantId}::uuid AND id = ${positionId}::uuid FOR UPDATE`;
  if (locked.length === 0) throw new AppError("NOT_FOUND", "Posizione non trovata", 404);
  const before = locked[0]!.status;
  if (before !== "VALID" && before !== "DRAFT")
    throw new AppError("POSITION_NOT_CANCELLABLE", `Una posizione nello stato ${before} non si può annullare`, 409);
  const options = await tx.paymentOption.findMany({
    where: { tenantId, positionId },
    select: { nav: true, status: true, lockedUntil: true },
  });
  const now = new Date();
  if (options.some((o) => o.status === "PAID"))
    throw new AppError("POSITION_NOT_CANCELLABLE", "La posizione ha già un pagamento", 409);
  if (options.some((o) => o.lockedUntil && o.lockedUntil > now)) {
    throw new AppError(
      "POSITION_NOT_CANCELLABLE",
      "Un pagamento è in corso presso un prestatore: riprova più tardi",
      409,
    );
  }
  await tx.paymentOption.updateMany({
    where: { tenantId, positionId, status: "UNPAID" },
    data: { status: "CANCELLED" },
  });
  const cancelled = await tx.debtPosition.update({
    where: { tenantId_id: { tenantId, id: positionId } },
    data: { status: "CANCELLED", cancelledAt: now },
    select: { iupd: true, externalId: true },
  });
  await emitEvent(tx, {
    tenantId,
    type: "position.cancelled",
    positionId,
    at: now,
    data: { positionId, iupd: cancelled.iupd, externalId: cancelled.externalId, status: "CANCELLED", reason: why },
  });
  await recordAudit(tx, {
    tenantId,
    actor,
    action: "position.cancel",
    entityType: "DebtPosition",
    entityId: positionId,
    before: { status: before },
    after: { status: "CANCELLED", reason: why },
    requestId,
  });
}
