import type { Prisma } from "../generated/prisma/client.ts";
import type { Tx } from "../platform/db/database.ts";

/** Everything the Nodo operations need about one notice (payment option) in a single read. */
export const noticeInclude = {
  transfers: { orderBy: { index: "asc" } },
  position: {
    include: {
      paymentType: { select: { code: true, amountRule: true } },
      options: { select: { id: true, kind: true, status: true, paymentToken: true, lockedUntil: true } },
    },
  },
} satisfies Prisma.PaymentOptionInclude;

export type NoticeRecord = Prisma.PaymentOptionGetPayload<{ include: typeof noticeInclude }>;

/** Reads the notice of `tenantId` with this NAV (RLS also confines it to the tenant). */
export function findNotice(tx: Tx, tenantId: string, nav: string): Promise<NoticeRecord | null> {
  return tx.paymentOption.findUnique({ where: { tenantId_nav: { tenantId, nav } }, include: noticeInclude });
}

/**
 * Takes the row lock of the position owning the NAV (SELECT … FOR UPDATE) for the rest of the
 * transaction. Every activation and receipt of any option of one position goes through this
 * lock, so two of them can never both see the position payable. Returns false when the NAV is
 * unknown to the tenant.
 */
export async function lockPositionOfNotice(tx: Tx, tenantId: string, nav: string): Promise<boolean> {
  const rows = await tx.$queryRaw<Array<{ id: string }>>`
    SELECT p.id FROM debt_positions p
    JOIN payment_options o ON o.tenant_id = p.tenant_id AND o.position_id = p.id
    WHERE o.tenant_id = ${tenantId}::uuid AND o.nav = ${nav}
    FOR UPDATE OF p`;
  return rows.length > 0;
}
