import type { Database } from "../platform/db/database.ts";
import { AppError } from "../platform/errors.ts";
import { recordAudit, type Actor } from "../audit/index.ts";
import {
  API_CLIENT_ID,
  COUNCIL_SUBGROUPS,
  councilRootPath,
  RealmAdminError,
  type CouncilSubgroup,
  type RealmGroup,
  type RealmGroupAdmin,
  type RealmRoleRef,
} from "../identity/staff/index.ts";

/** What provisioning needs: our database (for the audit) and the realm's Admin API. */
export interface CouncilGroupsDeps {
  db: Database;
  realm: RealmGroupAdmin;
}

export interface ProvisionOutcome {
  /** Group paths created now (empty when they all existed). */
  created: string[];
  /** Roles mapped now, by group path: `tenant-admin` for a realm role, `pontepa-api:positions.read` for a client role. */
  rolesAdded: Record<string, string[]>;
}

/** What the realm has of a council's groups: complete, missing something, or unknown (realm not reachable). */
export type CouncilGroupsState =
  { state: "complete" } | { state: "incomplete"; missing: string[] } | { state: "unknown"; problem: string };

const TENANTS_PATH = "/tenants";
const SUBGROUPS = Object.keys(COUNCIL_SUBGROUPS) as CouncilSubgroup[];
const clientRoleLabel = (name: string) => `${API_CLIENT_ID}:${name}`;

/** A group looked up by path, refusing an answer that names another path (never touch another council's group). */
async function lookup(realm: RealmGroupAdmin, path: string): Promise<RealmGroup | null> {
  const group = await realm.groupByPath(path);
  if (group && group.path !== path)
    throw new RealmAdminError("refused", `asked for ${path}, the realm answered ${group.path}`);
  return group;
}

/** The mappings a subgroup still lacks, as labels (see ProvisionOutcome.rolesAdded). */
async function missingRoles(
  realm: RealmGroupAdmin,
  group: RealmGroup,
  sub: CouncilSubgroup,
): Promise<{ realm: string[]; api: string[] }> {
  const held = await realm.groupRoleMappings(group.id);
  const spec = COUNCIL_SUBGROUPS[sub];
  return {
    realm: spec.realmRoles.filter((r) => !held.realm.includes(r)),
    api: spec.apiRoles.filter((r) => !(held.clients[API_CLIENT_ID] ?? []).includes(r)),
  };
}

/**
 * Whether the realm has the council's group `/tenants/<ipa>`, its four subgroups and their role
 * mappings. Never throws for the realm: an unreachable or refusing realm is "unknown".
 */
export async function councilGroupsState(realm: RealmGroupAdmin, ipaCode: string): Promise<CouncilGroupsState> {
  const root = councilRootPath(ipaCode);
  try {
    const missing: string[] = [];
    if (!(await lookup(realm, root)))
      return { state: "incomplete", missing: [root, ...SUBGROUPS.map((s) => `${root}/${s}`)] };
    for (const sub of SUBGROUPS) {
      const group = await lookup(realm, `${root}/${sub}`);
      if (!group) missing.push(`${root}/${sub}`);
      else {
        const lacks = await missingRoles(realm, group, sub);
        if (lacks.realm.length || lacks.api.length)
          missing.push(`${root}/${sub} (${[...lacks.realm, ...lacks.api.map(clientRoleLabel)].join(", ")})`);
      }
    }
    return missing.length ? { state: "incomplete", missing } : { state: "complete" };
  } catch (err) {
    if (!(err instanceof RealmAdminError)) throw err;
    return {
      state: "unknown",
      problem:
        err.kind === "unreachable"
          ? "Il sistema di identità della Regione non risponde."
          : "Il sistema di identità della Regione ha rifiutato la verifica.",
    };
  }
}

/**
 * Creates a council's groups in the realm, as a real Keycloak needs them: `/tenants/<ipa>` under
 * the existing `/tenants`, its subgroups `admins`, `operators`, `viewers`, `systems`, and each
 * subgroup's realm and `pontepa-api` client roles (COUNCIL_SUBGROUPS). Idempotent: existing
 * groups and mappings are found and kept, only what is missing is added, so a run that stopped
 * half-way (realm unreachable) is completed by running it again. Audited in the council's scope.
 * @throws AppError IDP_UNAVAILABLE / IDP_REFUSED / IDP_TENANTS_GROUP_MISSING, saying what was done
 */
export async function provisionCouncilGroups(
  deps: CouncilGroupsDeps,
  tenant: { id: string; ipaCode: string },
  actor: Actor,
): Promise<ProvisionOutcome> {
  const { realm } = deps;
  const root = councilRootPath(tenant.ipaCode);
  const outcome: ProvisionOutcome = { created: [], rolesAdded: {} };
  const changed = () => outcome.created.length > 0 || Object.keys(outcome.rolesAdded).length > 0;
  const realmRoles = new Map<string, RealmRoleRef>();
  const apiRoles = new Map<string, RealmRoleRef>();
  let apiClient: string | undefined;

  const ensureGroup = async (parent: RealmGroup, name: string): Promise<RealmGroup> => {
    const path = `${parent.path}/${name}`;
    const found = await lookup(realm, path);
    if (found) return found;
    try {
      const id = await realm.createChildGroup(parent.id, name);
      outcome.created.push(path);
      return { id, name, path };
    } catch (err) {
      // Someone (another click, another process) created it meanwhile: use theirs.
      if (!(err instanceof RealmAdminError && err.kind === "conflict")) throw err;
      const raced = await lookup(realm, path);
      if (!raced) throw err;
      return raced;
    }
  };

  try {
    const tenants = await lookup(realm, TENANTS_PATH);
    if (!tenants)
      throw new AppError(
        "IDP_TENANTS_GROUP_MISSING",
        "Nel sistema di identità manca il gruppo principale /tenants, sotto cui stanno i gruppi degli enti: va creato una volta dall'amministratore del sistema di identità (vedi infra/keycloak/README.md). Non è stato modificato nulla.",
        409,
      );
    const council = await ensureGroup(tenants, tenant.ipaCode);
    if (council.path !== root) throw new RealmAdminError("refused", `expected ${root}, got ${council.path}`);
    for (const sub of SUBGROUPS) {
      const group = await ensureGroup(council, sub);
      const lacks = await missingRoles(realm, group, sub);
      if (lacks.realm.length) {
        const refs: RealmRoleRef[] = [];
        for (const name of lacks.realm)
          refs.push(realmRoles.get(name) ?? realmRoles.set(name, await realm.realmRole(name)).get(name)!);
        await realm.addGroupRealmRoles(group.id, refs);
        outcome.rolesAdded[group.path] = [...lacks.realm];
      }
      if (lacks.api.length) {
        apiClient ??= await realm.clientUuid(API_CLIENT_ID);
        const refs: RealmRoleRef[] = [];
        for (const name of lacks.api)
          refs.push(apiRoles.get(name) ?? apiRoles.set(name, await realm.clientRole(apiClient, name)).get(name)!);
        await realm.addGroupClientRoles(group.id, apiClient, refs);
        outcome.rolesAdded[group.path] = [...(outcome.rolesAdded[group.path] ?? []), ...lacks.api.map(clientRoleLabel)];
      }
    }
  } catch (err) {
    // What did happen in the realm is on record even when the rest failed.
    if (changed()) await audit(deps, tenant, actor, outcome, false).catch(() => undefined);
    throw failure(err, changed());
  }
  if (changed()) await audit(deps, tenant, actor, outcome, true);
  return outcome;
}

function audit(
  deps: CouncilGroupsDeps,
  tenant: { id: string },
  actor: Actor,
  outcome: ProvisionOutcome,
  complete: boolean,
) {
  return deps.db.withTenant(tenant.id, (tx) =>
    recordAudit(tx, {
      tenantId: tenant.id,
      actor,
      action: "tenant.identity-groups",
      entityType: "Tenant",
      entityId: tenant.id,
      after: { created: outcome.created, rolesAdded: outcome.rolesAdded, complete },
    }),
  );
}

/** An Italian error that says whether part of the groups was already created. */
function failure(err: unknown, changed: boolean): AppError {
  if (!(err instanceof RealmAdminError))
    return err instanceof AppError ? err : new AppError("INTERNAL", (err as Error)?.message ?? "error", 500);
  const state = changed
    ? "I gruppi dell'ente sono stati creati solo in parte: riprovando si completa il resto."
    : "I gruppi dell'ente non sono stati creati.";
  if (err.kind === "unreachable")
    return new AppError(
      "IDP_UNAVAILABLE",
      `Il sistema di identità della Regione non risponde. ${state} Riprova tra qualche minuto.`,
      503,
      { cause: err.message },
    );
  return new AppError(
    "IDP_REFUSED",
    `Il sistema di identità della Regione ha rifiutato la creazione dei gruppi dell'ente. ${state} Se si ripete, controlla i permessi del client pontepa-admin (vedi infra/keycloak/README.md).`,
    502,
    { cause: err.message },
  );
}
