import type { Database } from "../../platform/db/database.ts";

/** What PontePA keeps about a council system's API client (its credentials live in the realm). */
export interface ApiClientRecord {
  id: string;
  clientId: string;
  name: string;
  /** read, write, pay. */
  roles: string[];
  /** Each return URL of a payment started by this client must begin with one of these. */
  returnUrlPrefixes: string[];
  revoked: boolean;
}

/**
 * The council's record of an API client, by the realm's clientId (the token's `azp`); null when
 * the council has none (a client set up in the realm by hand, before client management existed).
 */
export async function findApiClient(db: Database, tenantId: string, clientId: string): Promise<ApiClientRecord | null> {
  const row = await db.withTenant(tenantId, (tx) => tx.apiClient.findUnique({ where: { clientId } }));
  if (!row || row.tenantId !== tenantId) return null;
  return {
    id: row.id,
    clientId: row.clientId,
    name: row.name,
    roles: row.roles,
    returnUrlPrefixes: row.returnUrlPrefixes,
    revoked: row.revokedAt !== null,
  };
}
