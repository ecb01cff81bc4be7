import { z } from "zod";

/** Platform-wide roles (Keycloak realm roles) that are not tied to one council. */
export type PlatformRole = "platform-admin" | "regional-helpdesk";
/** Roles inside one council, from the groups `/tenants/<ipa>/{admins,operators,viewers}`. */
export type TenantRole = "tenant-admin" | "operator" | "viewer";

/** A logged-in member of staff, as the back-office sees them; built from the realm's token alone. */
export interface StaffPrincipal {
  subject: string;
  username: string;
  name: string;
  email: string | null;
  platformRoles: PlatformRole[];
  /** IPA code → roles in that council. */
  memberships: Record<string, TenantRole[]>;
}

const GROUP_ROLE: Record<string, TenantRole> = { admins: "tenant-admin", operators: "operator", viewers: "viewer" };
const TENANT_GROUP = /^\/tenants\/([a-z0-9_]{2,40})\/(admins|operators|viewers)$/i;
const PLATFORM_ROLES = new Set<PlatformRole>(["platform-admin", "regional-helpdesk"]);

// The claims the realm's mappers put in every staff token; anything else is ignored.
const claimsSchema = z.object({
  sub: z.string().min(1),
  preferred_username: z.string().min(1),
  name: z.string().optional(),
  email: z.string().optional(),
  realm_access: z.object({ roles: z.array(z.string()).default([]) }).default({ roles: [] }),
  groups: z.array(z.string()).default([]),
});

/**
 * Maps the realm's claims to a principal. Tenant roles come only from group membership (a
 * realm role "operator" without a group grants nothing), so a person is never an operator "of
 * every council" by mistake.
 */
export function principalFromClaims(claims: unknown): StaffPrincipal {
  const c = claimsSchema.parse(claims);
  const memberships: Record<string, TenantRole[]> = {};
  for (const group of c.groups) {
    const m = TENANT_GROUP.exec(group);
    if (!m) continue;
    const ipa = m[1]!.toLowerCase();
    const role = GROUP_ROLE[m[2]!.toLowerCase()]!;
    memberships[ipa] = [...new Set([...(memberships[ipa] ?? []), role])];
  }
  return {
    subject: c.sub,
    username: c.preferred_username,
    name: c.name?.trim() || c.preferred_username,
    email: c.email ?? null,
    platformRoles: c.realm_access.roles.filter((r): r is PlatformRole => PLATFORM_ROLES.has(r as PlatformRole)),
    memberships,
  };
}
