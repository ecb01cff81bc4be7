import type { Database } from "../platform/db/database.ts";

/**
 * The Region's published templates as a council's admin browses them (its own transaction:
 * row-level security lets a council read only published templates).
 */
export function listServiceTemplates(db: Database, tenantId: string) {
  return db.withTenant(tenantId, (tx) =>
    tx.serviceTemplate.findMany({ where: { published: true }, orderBy: { name: "asc" } }),
  );
}
