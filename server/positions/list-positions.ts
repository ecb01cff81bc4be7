import { z } from "zod";
import type { Database } from "../platform/db/database.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import { positionInclude } from "./find-position.ts";

export const POSITION_STATUSES = [
  "DRAFT",
  "VALID",
  "PARTIALLY_PAID",
  "PAID",
  "EXPIRED",
  "CANCELLED",
  "REPORTED",
] as const;

export const positionListSchema = z.object({
  status: z.enum(POSITION_STATUSES).optional(),
  paymentTypeCode: z.string().max(35).optional(),
  debtorFiscalCode: z.string().max(16).optional(),
  dueFrom: z.date().optional(),
  dueTo: z.date().optional(),
  createdFrom: z.date().optional(),
  createdTo: z.date().optional(),
  /** The id of the last position of the previous page (positions come newest first). */
  after: z.uuid().optional(),
  limit: z.number().int().min(1).max(100).default(50),
});
export type PositionListQuery = z.input<typeof positionListSchema>;

/**
 * A council's positions, newest first, filtered, by keyset pages: ids are UUIDv7 (time-ordered),
 * so "id below the last one seen" pages through a table of millions at the cost of an index
 * range, and rows inserted meanwhile never shift a page.
 */
export async function listPositions(db: Database, tenantId: string, query: PositionListQuery) {
  const q = positionListSchema.parse(query);
  const where: Prisma.DebtPositionWhereInput = {
    tenantId,
    ...(q.status ? { status: q.status } : {}),
    ...(q.paymentTypeCode ? { paymentType: { code: q.paymentTypeCode } } : {}),
    ...(q.debtorFiscalCode ? { debtorFiscalCode: q.debtorFiscalCode.toUpperCase() } : {}),
    ...(q.dueFrom || q.dueTo
      ? { dueDate: { ...(q.dueFrom ? { gte: q.dueFrom } : {}), ...(q.dueTo ? { lte: q.dueTo } : {}) } }
      : {}),
    ...(q.createdFrom || q.createdTo
      ? {
          createdAt: { ...(q.createdFrom ? { gte: q.createdFrom } : {}), ...(q.createdTo ? { lte: q.createdTo } : {}) },
        }
      : {}),
    ...(q.after ? { id: { lt: q.after } } : {}),
  };
  const rows = await db.withTenant(tenantId, (tx) =>
    tx.debtPosition.findMany({ where, include: positionInclude, orderBy: { id: "desc" }, take: q.limit + 1 }),
  );
  const items = rows.slice(0, q.limit);
  return { items, nextAfter: rows.length > q.limit ? items.at(-1)!.id : null };
}
