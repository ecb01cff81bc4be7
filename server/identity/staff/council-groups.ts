import type { TenantRole } from "./staff-principal.ts";
import { RealmAdminError, type RealmDirectory, type RealmGroup } from "./realm-admin.ts";

/** The realm group of each council role: `/tenants/<ipa>/<admins|operators|viewers>`. */
export const COUNCIL_GROUP: Record<TenantRole, "admins" | "operators" | "viewers"> = {
  "tenant-admin": "admins",
  operator: "operators",
  viewer: "viewers",
};
export const TENANT_ROLES = Object.keys(COUNCIL_GROUP) as TenantRole[];

const IPA_CODE = /^[a-z0-9_]{2,40}$/;

/**
 * The full path of a council's role group. The IPA code is checked, so a code such as
 * `c_x001/../c_x002` or `c_x001/operators` can never name another group.
 * @throws Error on an IPA code that is not one
 */
export function councilGroupPath(ipaCode: string, role: TenantRole): string {
  if (!IPA_CODE.test(ipaCode)) throw new Error(`not an IPA code: ${JSON.stringify(ipaCode)}`);
  return `/tenants/${ipaCode}/${COUNCIL_GROUP[role]}`;
}

/**
 * The path of a council's own group, `/tenants/<ipa>`, parent of its four role groups.
 * @throws Error on an IPA code that is not one
 */
export function councilRootPath(ipaCode: string): string {
  if (!IPA_CODE.test(ipaCode)) throw new Error(`not an IPA code: ${JSON.stringify(ipaCode)}`);
  return `/tenants/${ipaCode}`;
}

/** The role a group path gives in `ipaCode`, or null when the path is not exactly one of that council's three groups. */
export function councilRoleOfPath(ipaCode: string, path: string): TenantRole | null {
  if (!IPA_CODE.test(ipaCode)) return null;
  return TENANT_ROLES.find((role) => councilGroupPath(ipaCode, role) === path) ?? null;
}

/** A council's three groups as the realm has them; every membership change goes through these ids only. */
export interface CouncilGroups {
  ipaCode: string;
  byRole: Record<TenantRole, RealmGroup>;
  /** The council role of a group id, or null for any group that is not one of the three. */
  roleOf(groupId: string): TenantRole | null;
}

/**
 * Looks up the council's three groups by path and checks that the realm answered with exactly
 * those paths, so a confused or hostile answer cannot make us touch another council's group.
 * @throws RealmAdminError not-found when the council has no groups in the realm
 */
export async function councilGroups(realm: RealmDirectory, ipaCode: string): Promise<CouncilGroups> {
  const byRole = {} as Record<TenantRole, RealmGroup>;
  for (const role of TENANT_ROLES) {
    const path = councilGroupPath(ipaCode, role);
    const group = await realm.groupByPath(path);
    if (!group) throw new RealmAdminError("not-found", `the realm has no group ${path}`);
    if (group.path !== path)
      throw new RealmAdminError("refused", `asked for ${path}, the realm answered ${group.path}`);
    byRole[role] = group;
  }
  const ids = new Map(TENANT_ROLES.map((role) => [byRole[role].id, role]));
  if (ids.size !== TENANT_ROLES.length)
    throw new RealmAdminError("refused", `the realm gave two of ${ipaCode}'s groups the same id`);
  return { ipaCode, byRole, roleOf: (groupId) => ids.get(groupId) ?? null };
}

/** The roles a user holds in the council, from the user's groups (matched by id and path). */
export function rolesIn(groups: CouncilGroups, userGroups: RealmGroup[]): TenantRole[] {
  return TENANT_ROLES.filter((role) =>
    userGroups.some((g) => g.id === groups.byRole[role].id && g.path === groups.byRole[role].path),
  );
}
