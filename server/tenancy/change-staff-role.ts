import { z } from "zod";
import { AppError } from "../platform/errors.ts";
import { recordAudit, type Actor } from "../audit/index.ts";
import {
  councilGroups,
  RealmAdminError,
  rolesIn,
  TENANT_ROLES,
  type PrincipalChange,
  type TenantRole,
} from "../identity/staff/index.ts";
import { mirrorRole, realmFailure, type StaffAdminDeps, type StaffTenant } from "./staff-directory.ts";

// Keycloak user ids are UUIDs; federated users look like `f:<provider>:<id>`.
const userIdSchema = z.string().regex(/^[A-Za-z0-9:_-]{1,100}$/);
const roleSchema = z.enum(TENANT_ROLES).nullable();

/** The admin making the change: the audit actor and their subject in the realm (to protect their own access). */
export interface StaffChanger {
  actor: Actor;
  subject: string;
}

const notMember = () => new AppError("NOT_FOUND", "Questa persona non fa parte del personale dell'ente", 404);

/**
 * Sets a person's role in the council to exactly `role`, or removes their access (`null`), by
 * moving them between the council's three realm groups; groups of other councils and any other
 * group are never touched. The new group is joined before the old ones are left, so a failure
 * half-way leaves access rather than none. Someone not in the council's groups is "not found";
 * an admin cannot take away their own admin access. Audited in the council, with before/after.
 * The person's open sessions take the new roles at once (their next request), also when the
 * change stopped half-way (they get what the realm now says).
 * @throws AppError NOT_FOUND, ROLE_INVALID, OWN_ADMIN_ACCESS, IDP_* (nothing or part done, said in the message)
 */
export async function changeStaffRole(
  deps: StaffAdminDeps,
  tenant: StaffTenant,
  userId: string,
  role: string | null,
  by: StaffChanger,
): Promise<{ before: TenantRole[]; after: TenantRole[] }> {
  if (!userIdSchema.safeParse(userId).success) throw notMember();
  const wanted = roleSchema.safeParse(role);
  let changed = false;
  let now: TenantRole[] = [];
  let before: TenantRole[] = [];
  try {
    const groups = await councilGroups(deps.realm, tenant.ipaCode);
    try {
      before = rolesIn(groups, await deps.realm.userGroups(userId));
    } catch (err) {
      if (err instanceof RealmAdminError && err.kind === "not-found") throw notMember();
      throw err;
    }
    if (before.length === 0) throw notMember();
    // After the membership check: someone else's id is "not found" whatever the form says.
    if (!wanted.success) throw new AppError("ROLE_INVALID", "Scegli un ruolo tra quelli proposti", 422);
    if (userId === by.subject && before.includes("tenant-admin") && wanted.data !== "tenant-admin") {
      throw new AppError(
        "OWN_ADMIN_ACCESS",
        "Non puoi togliere a te stesso l'accesso di amministratore: chiedi a un altro amministratore dell'ente.",
        409,
      );
    }
    now = [...before];
    if (wanted.data && !before.includes(wanted.data)) {
      await deps.realm.joinGroup(userId, groups.byRole[wanted.data].id);
      now.push(wanted.data);
      changed = true;
    }
    for (const old of before.filter((r) => r !== wanted.data)) {
      await deps.realm.leaveGroup(userId, groups.byRole[old].id);
      now = now.filter((r) => r !== old);
      changed = true;
    }
  } catch (err) {
    if (changed) {
      await deps.sessions.updateSubject(userId, withCouncilRoles(tenant.ipaCode, now)).catch(() => undefined);
      await audit(deps, tenant, by.actor, userId, before, now, true).catch(() => undefined);
    }
    throw err instanceof AppError ? err : realmFailure(err, changed);
  }
  if (changed) {
    await deps.sessions.updateSubject(userId, withCouncilRoles(tenant.ipaCode, now));
    await audit(deps, tenant, by.actor, userId, before, now, false);
  }
  return { before, after: now };
}

/**
 * The principal with exactly `roles` in council `ipa` (none: the council is gone from it); a
 * session left with no council and no platform role is ended.
 */
export function withCouncilRoles(ipa: string, roles: TenantRole[]): PrincipalChange {
  return (principal) => {
    const memberships = { ...principal.memberships };
    if (roles.length > 0) memberships[ipa] = [...roles];
    else delete memberships[ipa];
    if (Object.keys(memberships).length === 0 && principal.platformRoles.length === 0) return null;
    return { ...principal, memberships };
  };
}

function audit(
  deps: StaffAdminDeps,
  tenant: StaffTenant,
  actor: Actor,
  userId: string,
  before: TenantRole[],
  after: TenantRole[],
  incomplete: boolean,
) {
  return deps.db.withTenant(tenant.id, async (tx) => {
    if (!incomplete) await mirrorRole(tx, tenant.id, userId, after[0] ?? null);
    await recordAudit(tx, {
      tenantId: tenant.id,
      actor,
      action: after.length === 0 ? "staff.remove" : "staff.role",
      entityType: "StaffUser",
      entityId: userId,
      before: { roles: before },
      after: { roles: after, ...(incomplete ? { incomplete: true } : {}) },
    });
  });
}
