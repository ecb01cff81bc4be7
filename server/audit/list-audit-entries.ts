import { z } from "zod";
import type { Database } from "../platform/db/database.ts";
import type { AuditLog } from "../generated/prisma/client.ts";

export const AUDIT_PAGE_SIZE = 50;

/** The audit log's page and entity filter, as a query string gives them (bad values fall back). */
export const auditQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
  entity: z.string().max(64).optional().catch(undefined),
});
export type AuditQuery = z.output<typeof auditQuerySchema>;

/** One page of a council's audit log, newest first, with the total for paging. */
export async function listAuditEntries(
  db: Database,
  tenantId: string,
  query: AuditQuery,
): Promise<{ total: number; pages: number; entries: AuditLog[] }> {
  const where = { tenantId, ...(query.entity ? { entityType: query.entity } : {}) };
  const [total, entries] = await db.withTenant(tenantId, (tx) =>
    Promise.all([
      tx.auditLog.count({ where }),
      tx.auditLog.findMany({
        where,
        orderBy: [{ at: "desc" }, { id: "desc" }],
        skip: (query.page - 1) * AUDIT_PAGE_SIZE,
        take: AUDIT_PAGE_SIZE,
      }),
    ]),
  );
  return { total, pages: Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE)), entries };
}
