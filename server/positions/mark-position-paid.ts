import { z } from "zod";
import type { Database } from "../platform/db/database.ts";
import { AppError } from "../platform/errors.ts";
import { recordAudit, type Actor } from "../audit/index.ts";
import { lockPositionForChange } from "./position-lock.ts";
import { emitEvent } from "../outbox/index.ts";

export const markPaidSchema = z.object({
  reason: z.string().trim().min(3).max(500),
  /** One option (a single installment); absent: the single payment, else every open installment. */
  nav: z
    .string()
    .regex(/^\d{18}$/)
    .optional(),
  paidAt: z.date().optional(),
});
export type MarkPaidInput = z.input<typeof markPaidSchema>;

/**
 * Records a payment made outside pagoPA (cash at the council's counter, a bank transfer to its
 * treasury): the options become PAID without a receipt, so the Nodo answers "already paid" from
 * now on, and the position PAID or PARTIALLY_PAID. Refused while a PSP holds an activation (that
 * payment could then be paid twice) and for positions that are not open.
 * @throws AppError NOT_FOUND, POSITION_LOCKED, POSITION_NOT_UPDATABLE (409), NAV_UNUSABLE (422)
 */
export async function markPositionPaid(
  db: Database,
  tenantId: string,
  positionId: string,
  input: MarkPaidInput,
  actor: Actor,
  requestId?: string,
): Promise<{ status: "PAID" | "PARTIALLY_PAID"; navs: string[] }> {
  const cmd = markPaidSchema.parse(input);
  return db.withTenant(tenantId, async (tx) => {
    const now = new Date();
    const paidAt = cmd.paidAt ?? now;
    const { status, iupd, externalId, options } = await lockPositionForChange(tx, tenantId, positionId, now);
    if (!["VALID", "PARTIALLY_PAID", "EXPIRED"].includes(status))
      throw new AppError(
        "POSITION_NOT_UPDATABLE",
        `Una posizione nello stato ${status} non si può segnare pagata`,
        409,
      );
    const open = options.filter((o) => o.status === "UNPAID" || o.status === "EXPIRED");
    let paying;
    if (cmd.nav) {
      const option = options.find((o) => o.nav === cmd.nav);
      if (!option) throw new AppError("NAV_UNUSABLE", `L'avviso ${cmd.nav} non è di questa posizione`, 422);
      if (!open.includes(option))
        throw new AppError("POSITION_NOT_UPDATABLE", `L'avviso ${cmd.nav} è nello stato ${option.status}`, 409);
      paying = [option];
    } else {
      const single = open.filter((o) => o.kind === "SINGLE");
      paying = single.length ? single : open.filter((o) => o.kind === "INSTALLMENT");
    }
    if (!paying.length) throw new AppError("POSITION_NOT_UPDATABLE", "Non c'è nulla da pagare", 409);
    const ids = paying.map((o) => o.id);
    await tx.paymentOption.updateMany({ where: { tenantId, id: { in: ids } }, data: { status: "PAID", paidAt } });
    for (const o of paying)
      for (const t of o.transfers)
        await tx.transfer.update({ where: { id: t.id }, data: { paidCents: t.amountCents } });
    const paidIds = new Set([...ids, ...options.filter((o) => o.status === "PAID").map((o) => o.id)]);
    const kind = paying[0]!.kind;
    const allPaid =
      kind === "SINGLE" || options.filter((o) => o.kind === "INSTALLMENT").every((o) => paidIds.has(o.id));
    const next = allPaid ? "PAID" : "PARTIALLY_PAID";
    await tx.debtPosition.update({
      where: { tenantId_id: { tenantId, id: positionId } },
      data: { status: next, paidAt: allPaid ? paidAt : null },
    });
    const navs = paying.map((o) => o.nav);
    await recordAudit(tx, {
      tenantId,
      actor,
      action: "position.mark-paid",
      entityType: "DebtPosition",
      entityId: positionId,
      before: { status },
      after: { status: next, navs, reason: cmd.reason, paidAt: paidAt.toISOString() },
      requestId,
    });
    await emitEvent(tx, {
      tenantId,
      type: allPaid ? "position.paid" : "position.partially_paid",
      positionId,
      at: now,
      data: { positionId, iupd, externalId, status: next, navs, outsidePagoPA: true, reason: cmd.reason },
    });
    return { status: next, navs };
  });
}
