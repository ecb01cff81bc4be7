import type { Database } from "../platform/db/database.ts";
import { journalOfNotices } from "../nodo/journal/index.ts";
import { AppError } from "../platform/errors.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One position as the counter sees it: options with transfers and receipts, the audit timeline
 * and the Nodo messages of its notices. Looked up in the tenant's RLS scope, so an id of another
 * council is "not found", never shown.
 * @throws AppError NOT_FOUND
 */
export async function getPositionDetail(db: Database, tenantId: string, positionId: string) {
  if (!UUID.test(positionId)) throw new AppError("NOT_FOUND", "Posizione non trovata", 404);
  return db.withTenant(tenantId, async (tx) => {
    const position = await tx.debtPosition.findFirst({
      where: { tenantId, id: positionId },
      include: {
        paymentType: { select: { code: true, name: true } },
        options: {
          orderBy: [{ kind: "asc" }, { installmentNumber: "asc" }],
          include: { transfers: { orderBy: { index: "asc" } }, receipts: { orderBy: { receivedAt: "asc" } } },
        },
      },
    });
    if (!position) throw new AppError("NOT_FOUND", "Posizione non trovata", 404);
    const navs = position.options.map((o) => o.nav);
    const [timeline, messages] = await Promise.all([
      tx.auditLog.findMany({ where: { tenantId, entityId: position.id }, orderBy: { at: "asc" }, take: 200 }),
      journalOfNotices(tx, tenantId, navs),
    ]);
    const now = Date.now();
    const cancellable = position.status === "VALID" || position.status === "DRAFT";
    const locked = position.options.some((o) => o.status === "UNPAID" && o.lockedUntil && o.lockedUntil.getTime() > now);
    // The same rule as the notice PDF (notices/notice.repository.ts): a published position with
    // something left to pay. A cancelled, paid or expired one offers no notice to print.
    const noticePrintable = (position.status === "VALID" || position.status === "PARTIALLY_PAID") && position.options.some((o) => o.status === "UNPAID");
    return { position, timeline, messages, canCancel: cancellable && !locked, noticePrintable };
  });
}
export type PositionDetail = Awaited<ReturnType<typeof getPositionDetail>>;
