import type { Database, Tx } from "../platform/db/database.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import { AppError } from "../platform/errors.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** How a council system names one of its positions: our id, its own id, a notice number or an IUV. */
export type PositionLookup = { id: string } | { externalId: string } | { nav: string } | { iuv: string };

/** What a council system reads of a position: options with transfers and the receipts that paid them. */
export const positionInclude = {
  paymentType: { select: { code: true as const } },
  options: {
    orderBy: [{ kind: "asc" as const }, { installmentNumber: "asc" as const }],
    include: {
      transfers: { orderBy: { index: "asc" as const } },
      receipts: {
        orderBy: { receivedAt: "asc" as const },
        select: {
          receiptId: true,
          nav: true,
          iuv: true,
          outcome: true,
          amountCents: true,
          feeCents: true,
          pspId: true,
          pspName: true,
          paymentDateTime: true,
          receivedAt: true,
        },
      },
    },
  },
} satisfies Prisma.DebtPositionInclude;

async function readPosition(tx: Tx, tenantId: string, by: PositionLookup) {
  if ("id" in by) {
    if (!UUID.test(by.id)) return null;
    return tx.debtPosition.findFirst({ where: { tenantId, id: by.id }, include: positionInclude });
  }
  if ("externalId" in by)
    return tx.debtPosition.findFirst({ where: { tenantId, externalId: by.externalId }, include: positionInclude });
  const option = await tx.paymentOption.findFirst({
    where: "nav" in by ? { tenantId, nav: by.nav } : { tenantId, iuv: by.iuv },
    select: { positionId: true },
  });
  return option
    ? tx.debtPosition.findFirst({ where: { tenantId, id: option.positionId }, include: positionInclude })
    : null;
}

/**
 * One position of the tenant, however its caller names it, read in the tenant's RLS scope (an
 * id of another council is "not found", never shown).
 * @throws AppError NOT_FOUND
 */
export async function findPosition(db: Database, tenantId: string, by: PositionLookup) {
  const position = await db.withTenant(tenantId, (tx) => readPosition(tx, tenantId, by));
  if (!position) throw new AppError("NOT_FOUND", "Posizione non trovata", 404);
  return position;
}
export type PositionRecord = Awaited<ReturnType<typeof findPosition>>;
