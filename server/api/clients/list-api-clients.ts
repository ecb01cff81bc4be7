import type { Database } from "../../platform/db/database.ts";

export interface ApiClientRow {
  id: string;
  clientId: string;
  name: string;
  roles: string[];
  returnUrlPrefixes: string[];
  createdBy: string;
  createdAt: Date;
  secretRotatedAt: Date | null;
  revokedAt: Date | null;
}

/** The council's API clients, active first, newest first. */
export async function listApiClients(db: Database, tenantId: string): Promise<ApiClientRow[]> {
  const rows = await db.withTenant(tenantId, (tx) =>
    tx.apiClient.findMany({ where: { tenantId }, orderBy: [{ createdAt: "desc" }] }),
  );
  return rows
    .map(({ tenantId: _t, ...r }) => r)
    .sort((a, b) => Number(a.revokedAt !== null) - Number(b.revokedAt !== null));
}
