import {
  API_CLIENT_ID,
  effectiveRoles,
  groupRoles,
  REALM_MANAGEMENT_CLIENT_ID,
  type RealmUser,
  type RoleMappings,
} from "./realm-data.ts";

/**
 * The claims Keycloak puts in tokens and userinfo for a user of the realm, with the mappers the
 * realm export configures: profile and email, `realm_access.roles`, `resource_access.<client>.roles`
 * (only clients the user has roles on, as Keycloak does: `pontepa-api`, and `realm-management` for
 * the staff-administration service account) and `groups` as full paths. `rolesOf` gives a group's
 * role mappings (the directory's, so groups created at run time count like the realm data's).
 */
export function userClaims(
  user: RealmUser & { emailVerified?: boolean },
  rolesOf: (path: string) => RoleMappings = groupRoles,
): Record<string, unknown> & { sub: string } {
  const roles = effectiveRoles(user, rolesOf);
  const resourceAccess: Record<string, { roles: string[] }> = {};
  if (roles.apiRoles.length > 0) resourceAccess[API_CLIENT_ID] = { roles: roles.apiRoles };
  if (roles.managementRoles?.length) resourceAccess[REALM_MANAGEMENT_CLIENT_ID] = { roles: roles.managementRoles };
  const name = `${user.firstName} ${user.lastName}`.trim();
  return {
    sub: user.id,
    preferred_username: user.username,
    // An invited person's address counts as verified once they followed the e-mailed link.
    ...(user.email ? { email: user.email, email_verified: user.emailVerified ?? true } : { email_verified: false }),
    ...(name ? { name, given_name: user.firstName, family_name: user.lastName } : {}),
    realm_access: { roles: roles.realmRoles },
    ...(Object.keys(resourceAccess).length > 0 ? { resource_access: resourceAccess } : {}),
    groups: [...user.groups],
  };
}

/**
 * Keycloak's access-token audience: the requesting client itself (the realm export adds an
 * audience mapper for it) plus every client the token carries roles for ("audience resolve").
 */
export function accessTokenAudience(clientId: string, claims: Record<string, unknown>): string | string[] {
  const resourceAccess = (claims.resource_access ?? {}) as Record<string, unknown>;
  const audience = [clientId, ...Object.keys(resourceAccess).filter((c) => c !== clientId)];
  return audience.length === 1 ? clientId : audience;
}
