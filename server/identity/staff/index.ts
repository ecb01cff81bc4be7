// Staff identity: OIDC login against the realm, Redis sessions, the access policy.
export { principalFromClaims, type StaffPrincipal, type PlatformRole, type TenantRole } from "./staff-principal.ts";
export { can, memberTenants, ROLE_LABELS, type Permission } from "./access-policy.ts";
export {
  StaffSessions,
  STAFF_SESSION_COOKIE,
  type PrincipalChange,
  type StaffSession,
  type StaffSessionIndex,
  type StaffSessionOptions,
} from "./staff-sessions.ts";
export { StaffOidc, StaffLoginError, type StaffOidcOptions } from "./staff-oidc.ts";
export { createStaffTokenVerifier, StaffTokenError } from "./staff-tokens.ts";
export { loginAttemptWait } from "./login-rate-limit.ts";
export { recordStaffLogin } from "./record-staff-login.ts";
export {
  RealmAdmin,
  RealmAdminError,
  adminBaseOf,
  type RealmDirectory,
  type RealmGroupAdmin,
  type RealmRoleRef,
  type GroupRoleNames,
  type RealmUser,
  type RealmGroup,
} from "./realm-admin.ts";
export {
  councilGroups,
  councilGroupPath,
  councilRootPath,
  councilRoleOfPath,
  rolesIn,
  TENANT_ROLES,
  type CouncilGroups,
} from "./council-groups.ts";
export { COUNCIL_SUBGROUPS, API_CLIENT_ID, type CouncilSubgroup } from "./council-group-roles.ts";
export { realmFailure } from "./realm-failure.ts";
