import { API_CLIENT_ID, effectiveRoles, type RealmUser } from "./realm-data.ts";

/**
 * The claims Keycloak puts in tokens and userinfo for a user of the realm, with the mappers the
 * realm export configures: profile and email, `realm_access.roles`, `resource_access.<client>.roles`
 * (only clients the user has roles on, as Keycloak does) and `groups` as full paths.
 */
export function userClaims(user: RealmUser): Record<string, unknown> & { sub: string } {
  const roles = effectiveRoles(user);
  const name = `${user.firstName} ${user.lastName}`.trim();
  return {
    sub: user.id,
    preferred_username: user.username,
    ...(user.email ? { email: user.email, email_verified: true } : { email_verified: false }),
    ...(name ? { name, given_name: user.firstName, family_name: user.lastName } : {}),
    realm_access: { roles: roles.realmRoles },
    ...(roles.apiRoles.length > 0 ? { resource_access: { [API_CLIENT_ID]: { roles: roles.apiRoles } } } : {}),
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
