import type { Database, Tx } from "../platform/db/database.ts";
import { AppError } from "../platform/errors.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Reads the Nodo messages of some notices, in the caller's tenant transaction. The journal is
 * owned by `nodo/journal`; positions/ may not import the protocol side, so the caller passes its
 * reader in (`journalOfNotices`).
 */
export type NoticeJournalReader<M> = (tx: Tx, tenantId: string, navs: string[]) => Promise<M[]>;

/**
 * One position as the counter sees it: options with transfers and receipts, the audit timeline
 * and the Nodo messages of its notices. Looked up in the tenant's RLS scope, so an id of another
 * council is "not found", never shown.
 * @throws AppError NOT_FOUND
 */
export async function getPositionDetail<M>(
  db: Database,
  journal: NoticeJournalReader<M>,
  tenantId: string,
  positionId: string,
) {
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
      tx.auditLog.findMany({
        where: { tenantId, OR: [{ entityId: position.id }, ...importUploadOf(position.data)] },
        orderBy: { at: "asc" },
        take: 200,
      }),
      journal(tx, tenantId, navs),
    ]);
    const now = Date.now();
    const cancellable = position.status === "VALID" || position.status === "DRAFT";
    const locked = position.options.some(
      (o) => o.status === "UNPAID" && o.lockedUntil && o.lockedUntil.getTime() > now,
    );
    // The same rule as the notice PDF (notices/notice-print.repository.ts): a published position with
    // something left to pay. A cancelled, paid or expired one offers no notice to print.
    const noticePrintable =
      (position.status === "VALID" || position.status === "PARTIALLY_PAID") &&
      position.options.some((o) => o.status === "UNPAID");
    return { position, timeline, messages, canCancel: cancellable && !locked, noticePrintable };
  });
}
export type PositionDetail<M = unknown> = Awaited<ReturnType<typeof getPositionDetail<M>>>;

/**
 * A position a file created in bulk has no `position.create` entry of its own (its import's
 * chunk is audited once, docs/decisions/0007): its timeline shows the file's upload instead.
 */
export function importUploadOf(data: unknown): Array<{ entityId: string; action: string }> {
  const importId = (data as { importId?: unknown } | null)?.importId;
  return typeof importId === "string" ? [{ entityId: importId, action: "import.upload" }] : [];
}
