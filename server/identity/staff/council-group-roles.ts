/** The API audience client whose roles council groups carry (`resource_access.pontepa-api.roles`). */
export const API_CLIENT_ID = "pontepa-api";

export type CouncilSubgroup = "admins" | "operators" | "viewers" | "systems";

/**
 * What each of a council's four groups grants, as the realm data says
 * (`infra/dev-idp/oidc/realm-data.ts`, TENANT_SUBGROUPS; a test keeps the two equal): realm roles
 * for staff, `pontepa-api` client roles for the API. The platform creates a new council's groups
 * with exactly these mappings.
 */
export const COUNCIL_SUBGROUPS: Record<
  CouncilSubgroup,
  { realmRoles: readonly string[]; apiRoles: readonly string[] }
> = {
  admins: { realmRoles: ["tenant-admin"], apiRoles: ["positions.read", "positions.write", "receipts.read"] },
  operators: { realmRoles: ["operator"], apiRoles: ["positions.read", "positions.write", "receipts.read"] },
  viewers: { realmRoles: ["viewer"], apiRoles: ["positions.read", "receipts.read"] },
  // Council systems (gestionali) authenticate as service accounts: API roles only.
  systems: { realmRoles: [], apiRoles: ["positions.read", "positions.write", "receipts.read"] },
};
