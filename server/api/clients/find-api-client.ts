import type { Database } from "../../platform/db/database.ts";
import type { Statement } from "../../platform/db/fast-sql.ts";

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

const BY_CLIENT_ID: Statement = {
  name: "api.client_by_client_id",
  text: `SELECT id::text, tenant_id::text AS "tenantId", client_id AS "clientId", name, roles,
           return_url_prefixes AS "returnUrlPrefixes", revoked_at IS NOT NULL AS revoked
         FROM api_clients WHERE client_id = $1`,
};

/**
 * Answers read within `maxAgeMs` (the API's per-request check), by tenant and clientId. A
 * rotation or revocation in this process forgets its client at once (`forgetApiClient`); other
 * processes see it when their entry ages out.
 */
const recent = new Map<string, { at: number; record: ApiClientRecord | null }>();
const MAX_ENTRIES = 10_000;

/** Drops what this process remembers of a client: called when it is created, rotated or revoked. */
export function forgetApiClient(clientId: string): void {
  for (const key of recent.keys()) if (key.endsWith(`\n${clientId}`)) recent.delete(key);
}

/**
 * The council's record of an API client, by the realm's clientId (the token's `azp`); null when
 * the council has none (a client set up in the realm by hand, before client management existed).
 * Read on pg in the council's RLS scope (one prepared statement, no Prisma engine). With
 * `maxAgeMs`, an answer read that recently in this process is reused.
 */
export async function findApiClient(
  db: Database,
  tenantId: string,
  clientId: string,
  options: { maxAgeMs?: number } = {},
): Promise<ApiClientRecord | null> {
  const key = `${tenantId}\n${clientId}`;
  const maxAge = options.maxAgeMs ?? 0;
  const hit = maxAge > 0 ? recent.get(key) : undefined;
  if (hit && Date.now() - hit.at < maxAge) return hit.record;
  const [rows] = await db.sql.readAsTenant(tenantId, [[BY_CLIENT_ID, [clientId]]]);
  const row = rows![0] as (ApiClientRecord & { tenantId: string }) | undefined;
  const record: ApiClientRecord | null =
    row && row.tenantId === tenantId
      ? {
          id: row.id,
          clientId: row.clientId,
          name: row.name,
          roles: row.roles,
          returnUrlPrefixes: row.returnUrlPrefixes,
          revoked: row.revoked,
        }
      : null;
  if (maxAge > 0) {
    if (recent.size >= MAX_ENTRIES) recent.clear();
    recent.set(key, { at: Date.now(), record });
  }
  return record;
}
