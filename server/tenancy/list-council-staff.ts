import {
  councilGroups,
  RealmAdminError,
  TENANT_ROLES,
  type RealmUser,
  type TenantRole,
} from "../identity/staff/index.ts";
import { realmFailure, type StaffAdminDeps, type StaffTenant } from "./staff-directory.ts";

const ROLE_OF_MEMBERSHIP = { TENANT_ADMIN: "tenant-admin", OPERATOR: "operator", VIEWER: "viewer" } as const;

export interface CouncilStaffMember {
  /** The person's id in the realm (the `sub` of their tokens). */
  userId: string;
  name: string;
  email: string | null;
  roles: TenantRole[];
  /** Invited, has not yet chosen a password. */
  invitationPending: boolean;
  lastLoginAt: Date | null;
  /** The operator's membership row, which holds their payment-type restriction (after a first login). */
  operatorMembershipId: string | null;
  paymentTypeCodes: string[];
}

export interface CouncilStaff {
  members: CouncilStaffMember[];
  /** False when the realm could not be asked: `members` then lists only who has logged in, as last seen. */
  fromRealm: boolean;
  /** Why the realm could not be asked (Italian), when it could not. */
  problem?: string;
}

/**
 * The council's people as the realm has them (members of its three groups), merged with what we
 * know from logins: the last login and an operator's payment-type restriction. When the realm
 * cannot be asked, the people who have logged in are listed from our mirror instead, marked so.
 */
export async function listCouncilStaff(deps: StaffAdminDeps, tenant: StaffTenant): Promise<CouncilStaff> {
  const memberships = await deps.db.withTenant(tenant.id, (tx) =>
    tx.membership.findMany({
      where: { tenantId: tenant.id },
      include: { user: { select: { subject: true, displayName: true, email: true, lastLoginAt: true } } },
      orderBy: { createdAt: "asc" },
    }),
  );
  const seen = new Map<string, typeof memberships>();
  for (const m of memberships) seen.set(m.user.subject, [...(seen.get(m.user.subject) ?? []), m]);
  const known = (subject: string) => {
    const rows = seen.get(subject) ?? [];
    const operator = rows.find((m) => m.role === "OPERATOR");
    return {
      lastLoginAt: rows[0]?.user.lastLoginAt ?? null,
      operatorMembershipId: operator?.id ?? null,
      paymentTypeCodes: operator?.paymentTypeCodes ?? [],
    };
  };

  let people: Map<string, { user: RealmUser; roles: TenantRole[] }>;
  try {
    const groups = await councilGroups(deps.realm, tenant.ipaCode);
    people = new Map();
    for (const role of TENANT_ROLES) {
      for (const user of await deps.realm.groupMembers(groups.byRole[role].id)) {
        const entry = people.get(user.id) ?? { user, roles: [] };
        entry.roles.push(role);
        people.set(user.id, entry);
      }
    }
  } catch (err) {
    if (!(err instanceof RealmAdminError)) throw err;
    const members = [...seen.entries()].map(([subject, rows]) => ({
      userId: subject,
      name: rows[0]!.user.displayName ?? subject,
      email: rows[0]!.user.email,
      roles: TENANT_ROLES.filter((r) => rows.some((m) => ROLE_OF_MEMBERSHIP[m.role] === r)),
      invitationPending: false,
      ...known(subject),
    }));
    return { members: sortByRole(members), fromRealm: false, problem: realmFailure(err, false).message };
  }
  const members = [...people.values()].map(({ user, roles }) => ({
    userId: user.id,
    name: `${user.firstName ?? ""} ${user.lastName ?? ""}`.trim() || user.username,
    email: user.email ?? null,
    roles,
    invitationPending: user.requiredActions.includes("UPDATE_PASSWORD"),
    ...known(user.id),
  }));
  return { members: sortByRole(members), fromRealm: true };
}

function sortByRole(members: CouncilStaffMember[]): CouncilStaffMember[] {
  const rank = (m: CouncilStaffMember) => Math.min(...m.roles.map((r) => TENANT_ROLES.indexOf(r)), TENANT_ROLES.length);
  return members.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name, "it"));
}
