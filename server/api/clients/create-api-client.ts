import { randomBytes } from "node:crypto";
import { recordAudit, type Actor } from "../../audit/index.ts";
import { councilRootPath } from "../../identity/staff/index.ts";
import type { Database } from "../../platform/db/database.ts";
import { FormValidationError } from "../../platform/errors.ts";
import type { Logger } from "../../platform/observability/logger.ts";
import { realmRolesOf } from "./api-client-roles.ts";
import { forgetApiClient } from "./find-api-client.ts";
import { apiClientInputSchema, returnUrlPrefixProblem, type ApiClientInput } from "./api-client.schema.ts";
import type { RealmClientAdmin } from "./realm-api-clients.ts";
import { realmFailure } from "../../identity/staff/index.ts";

export interface ApiClientDeps {
  db: Database;
  realm: RealmClientAdmin;
  logger: Logger;
  /** The realm's API audience client (`pontepa-api`), whose client roles the accounts get. */
  apiAudience: string;
  production: boolean;
}

/** A realm clientId for a council's system: `<ipa>-<name slug>-<random>`, unique across the realm. */
function newClientId(ipaCode: string, name: string): string {
  const slug = name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 30);
  return `${ipaCode}-${slug || "sistema"}-${randomBytes(3).toString("hex")}`;
}

/**
 * Creates an API client for a council's system: a confidential service-account client in the
 * realm, its account put in `/tenants/<ipa>/systems` (which binds its tokens to this council) and
 * given the `pontepa-api` roles of the choices; then our record and its audit entry. The secret
 * is returned here only, to be shown once: it is neither stored nor logged by PontePA. If our
 * record cannot be written, the realm client is deleted again.
 * @throws FormValidationError per field; AppError IDP_UNAVAILABLE / IDP_REFUSED
 */
export async function createApiClient(
  deps: ApiClientDeps,
  tenant: { id: string; ipaCode: string },
  input: ApiClientInput,
  actor: Actor,
): Promise<{ id: string; clientId: string; secret: string }> {
  const parsed = apiClientInputSchema.safeParse(input);
  const errors: Record<string, string> = {};
  if (!parsed.success) for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
  const prefixes = parsed.success ? [...new Set(parsed.data.returnUrlPrefixes)] : [];
  const prefixProblem = prefixes.map((p) => returnUrlPrefixProblem(p, deps.production)).find((p) => p !== null);
  if (prefixProblem) errors.returnUrlPrefixes ??= prefixProblem;
  if (!parsed.success || prefixProblem) throw new FormValidationError(errors);
  const cmd = { ...parsed.data, roles: [...new Set(parsed.data.roles)].sort(), returnUrlPrefixes: prefixes };

  const clientId = newClientId(tenant.ipaCode, cmd.name);
  let clientUuid: string | undefined;
  let secret: string;
  try {
    const systems = await deps.realm.groupByPath(`${councilRootPath(tenant.ipaCode)}/systems`);
    if (!systems)
      throw new FormValidationError({ name: "Il gruppo dei sistemi dell'ente non esiste nel sistema di identità" });
    const apiUuid = await deps.realm.clientUuid(deps.apiAudience);
    const roles = await Promise.all(realmRolesOf(cmd.roles).map((r) => deps.realm.clientRole(apiUuid, r)));
    clientUuid = await deps.realm.createServiceAccountClient(clientId, cmd.name);
    const accountId = await deps.realm.serviceAccountUserId(clientUuid);
    await deps.realm.joinGroup(accountId, systems.id);
    await deps.realm.addUserClientRoles(accountId, apiUuid, roles);
    secret = await deps.realm.clientSecret(clientUuid);
  } catch (err) {
    if (err instanceof FormValidationError) throw err;
    if (clientUuid) await undo(deps, clientUuid, clientId);
    throw realmFailure(err, false);
  }
  try {
    const id = await deps.db.withTenant(tenant.id, async (tx) => {
      const row = await tx.apiClient.create({
        data: {
          tenantId: tenant.id,
          clientId,
          name: cmd.name,
          roles: cmd.roles,
          returnUrlPrefixes: cmd.returnUrlPrefixes,
          createdBy: actor.id,
        },
      });
      await recordAudit(tx, {
        tenantId: tenant.id,
        actor,
        action: "api-client.create",
        entityType: "ApiClient",
        entityId: row.id,
        after: { clientId, name: cmd.name, roles: cmd.roles, returnUrlPrefixes: cmd.returnUrlPrefixes },
      });
      return row.id;
    });
    forgetApiClient(clientId);
    deps.logger.info({ tenantId: tenant.id, clientId }, "API client created");
    return { id, clientId, secret };
  } catch (err) {
    await undo(deps, clientUuid, clientId);
    throw err;
  }
}

/** Deletes a realm client whose creation did not complete (best effort: a leftover is logged). */
async function undo(deps: ApiClientDeps, clientUuid: string, clientId: string): Promise<void> {
  await deps.realm.deleteClient(clientUuid).catch((err: unknown) => {
    deps.logger.error(
      { err: (err as Error)?.message, clientId },
      "API client half-created in the realm: delete it by hand",
    );
  });
}
