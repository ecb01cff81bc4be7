import { recordAudit, type Actor } from "../../audit/index.ts";
import { AppError } from "../../platform/errors.ts";
import { RealmAdminError } from "../../identity/staff/index.ts";
import type { ApiClientDeps } from "./create-api-client.ts";
import { realmFailure } from "../../identity/staff/index.ts";
import { forgetApiClient } from "./find-api-client.ts";

const notFound = () => new AppError("NOT_FOUND", "Client API non trovato", 404);

async function activeClient(deps: ApiClientDeps, tenantId: string, id: string) {
  const row = await deps.db.withTenant(tenantId, (tx) => tx.apiClient.findFirst({ where: { id, tenantId } }));
  if (!row) throw notFound();
  return row;
}

/**
 * Gives a council's API client a new secret in the realm (the old one stops working at once)
 * and returns it, to be shown once; the audit entry records that it happened, not the secret.
 * @throws AppError NOT_FOUND (also when revoked), IDP_UNAVAILABLE / IDP_REFUSED
 */
export async function rotateApiClientSecret(
  deps: ApiClientDeps,
  tenantId: string,
  id: string,
  actor: Actor,
): Promise<{ clientId: string; secret: string }> {
  const row = await activeClient(deps, tenantId, id);
  if (row.revokedAt) throw notFound();
  let secret: string;
  try {
    secret = await deps.realm.regenerateClientSecret(await deps.realm.clientUuid(row.clientId));
  } catch (err) {
    throw realmFailure(err, false);
  }
  await deps.db.withTenant(tenantId, async (tx) => {
    await tx.apiClient.update({ where: { id }, data: { secretRotatedAt: new Date() } });
    await recordAudit(tx, {
      tenantId,
      actor,
      action: "api-client.rotate-secret",
      entityType: "ApiClient",
      entityId: id,
      after: { clientId: row.clientId },
    });
  });
  forgetApiClient(row.clientId);
  deps.logger.info({ tenantId, clientId: row.clientId }, "API client secret rotated");
  return { clientId: row.clientId, secret };
}

/**
 * Revokes a council's API client: first our record (the API refuses its tokens, even those
 * already issued, from this moment), then the realm client is deleted (no new tokens). Revoking
 * again retries the realm deletion if it failed the first time.
 * @throws AppError NOT_FOUND, IDP_UNAVAILABLE / IDP_REFUSED (the record stays revoked)
 */
export async function revokeApiClient(deps: ApiClientDeps, tenantId: string, id: string, actor: Actor): Promise<void> {
  const row = await activeClient(deps, tenantId, id);
  if (!row.revokedAt)
    await deps.db.withTenant(tenantId, async (tx) => {
      await tx.apiClient.update({ where: { id }, data: { revokedAt: new Date() } });
      await recordAudit(tx, {
        tenantId,
        actor,
        action: "api-client.revoke",
        entityType: "ApiClient",
        entityId: id,
        before: { clientId: row.clientId, roles: row.roles },
      });
    });
  // This process refuses its tokens from now on (others when their remembered answer ages out).
  forgetApiClient(row.clientId);
  try {
    await deps.realm.deleteClient(await deps.realm.clientUuid(row.clientId));
  } catch (err) {
    // Already gone from the realm: the revocation is complete.
    if (err instanceof RealmAdminError && err.kind === "not-found") return;
    throw realmFailure(err, true);
  }
  deps.logger.info({ tenantId, clientId: row.clientId }, "API client revoked");
}
