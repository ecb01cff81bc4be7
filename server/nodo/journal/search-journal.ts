import { z } from "zod";
import type { Database, Tx } from "../../platform/db/database.ts";
import type { NodoMessage } from "../../generated/prisma/client.ts";

export const journalQuerySchema = z
  .object({
    nav: z
      .string()
      .regex(/^\d{18}$/)
      .optional(),
    iuv: z.string().min(1).max(35).optional(),
    receiptId: z.string().min(1).max(35).optional(),
    tenantId: z.uuid().optional(),
    limit: z.number().int().min(1).max(500).default(100),
  })
  .refine((q) => [q.nav, q.iuv, q.receiptId].filter(Boolean).length === 1, "cerca per uno tra NAV, IUV e receiptId");

export type JournalQuery = z.input<typeof journalQuerySchema>;

/**
 * Finds journal entries by NAV, IUV or receiptId, newest first. With `tenantId` the search
 * runs inside that tenant's RLS scope (a council's staff); without it, in platform scope (the
 * regional helpdesk, which also sees entries that could not be routed to any tenant).
 */
export async function searchJournal(db: Database, query: JournalQuery): Promise<NodoMessage[]> {
  const q = journalQuerySchema.parse(query);
  const where = q.nav ? { nav: q.nav } : q.iuv ? { iuv: q.iuv } : { receiptId: q.receiptId };
  const find = (tx: Parameters<Parameters<Database["withTenant"]>[1]>[0]) =>
    tx.nodoMessage.findMany({
      where: q.tenantId ? { ...where, tenantId: q.tenantId } : where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: q.limit,
    });
  return q.tenantId ? db.withTenant(q.tenantId, find) : db.withPlatformScope("helpdesk: nodo journal search", find);
}

/** The columns a position's history shows of a journal entry (no raw XML). */
const summary = {
  id: true,
  createdAt: true,
  direction: true,
  operation: true,
  nav: true,
  outcome: true,
  faultCode: true,
  durationMs: true,
} as const;

export type JournalSummary = Pick<NodoMessage, keyof typeof summary>;

/**
 * The Nodo messages about some notices of one tenant, newest first, inside the caller's
 * transaction (a council's RLS scope or the helpdesk's platform scope).
 */
export function journalOfNotices(tx: Tx, tenantId: string, navs: string[], limit = 100): Promise<JournalSummary[]> {
  return tx.nodoMessage.findMany({
    where: { tenantId, nav: { in: navs } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
    select: summary,
  });
}
