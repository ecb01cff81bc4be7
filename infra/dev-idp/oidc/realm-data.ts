/**
 * The staff realm `pontepa`: roles, groups, clients and demo users, in one place. The development
 * OIDC provider serves exactly this, and `infra/keycloak/export-realm.ts` turns it into the realm
 * export for a real Keycloak, so both always agree (a test checks the committed export).
 *
 * Ids are fixed UUIDs so a user's `sub` is the same in the dev provider and in a Keycloak that
 * imported the export.
 */

/** The realm name, i.e. the path segment in `/realms/<realm>`. */
export const REALM_NAME = "pontepa";

/** Every demo user's password: development only, never in a production realm. */
export const DEMO_PASSWORD = "demo";

/** Staff roles of the platform (Keycloak realm roles). */
export const REALM_ROLES = [
  { name: "platform-admin", description: "Amministratore della piattaforma (tutti gli enti)" },
  { name: "regional-helpdesk", description: "Assistenza regionale: consulta tutti gli enti, non modifica" },
  { name: "tenant-admin", description: "Amministratore di un ente" },
  { name: "operator", description: "Operatore di un ente: gestisce posizioni debitorie" },
  { name: "viewer", description: "Consultazione di un ente" },
] as const;
export type RealmRole = (typeof REALM_ROLES)[number]["name"];

/** Client roles of the API audience `pontepa-api` (they land in `resource_access.pontepa-api.roles`). */
export const API_CLIENT_ID = "pontepa-api";
export const API_ROLES = [
  { name: "positions.read", description: "Lettura delle posizioni debitorie" },
  { name: "positions.write", description: "Creazione e modifica delle posizioni debitorie" },
  { name: "receipts.read", description: "Lettura delle ricevute" },
  { name: "payments.write", description: "Avvio di pagamenti dal portale dell'ente" },
  { name: "tenants.manage", description: "Gestione degli enti" },
] as const;
export type ApiRole = (typeof API_ROLES)[number]["name"];

/**
 * Keycloak's built-in client holding the realm's administration roles. PontePA's back-office asks
 * the Admin REST API to invite staff and move them between a council's groups with these, and to
 * create a new council's groups: in Keycloak, creating groups and mapping roles to them needs
 * `manage-users`, but reading a realm role by name needs `view-realm` and reading a client and its
 * roles needs `view-clients` (which also lists clients, so `query-clients` is not needed). Council
 * systems' API clients are created, given a new secret and deleted with `manage-clients`.
 */
export const REALM_MANAGEMENT_CLIENT_ID = "realm-management";
export const MANAGEMENT_ROLES = [
  "manage-users",
  "view-users",
  "query-groups",
  "view-realm",
  "view-clients",
  "manage-clients",
] as const;
export type ManagementRole = (typeof MANAGEMENT_ROLES)[number];

/** Role mappings a group (or user) carries, as Keycloak's `realmRoles` / `clientRoles`. */
export interface RoleMappings {
  realmRoles: RealmRole[];
  apiRoles: ApiRole[];
  /** Client roles of `realm-management` (only the staff-administration service account has any). */
  managementRoles?: ManagementRole[];
}

/** A council (tenant) by IPA code; each gets the groups `/tenants/<ipa>/{admins,operators,viewers,systems}`. */
export const TENANTS = [
  { ipaCode: "c_x001", name: "Comune di Borgo Fiorito" },
  { ipaCode: "c_x002", name: "Comune di Valle Serena" },
] as const;

/** What each per-tenant subgroup grants. */
export const TENANT_SUBGROUPS: Record<"admins" | "operators" | "viewers" | "systems", RoleMappings> = {
  admins: { realmRoles: ["tenant-admin"], apiRoles: ["positions.read", "positions.write", "receipts.read"] },
  operators: { realmRoles: ["operator"], apiRoles: ["positions.read", "positions.write", "receipts.read"] },
  viewers: { realmRoles: ["viewer"], apiRoles: ["positions.read", "receipts.read"] },
  // Council systems (gestionali) authenticate as service accounts, not as staff.
  systems: { realmRoles: [], apiRoles: ["positions.read", "positions.write", "receipts.read"] },
};
export type TenantSubgroup = keyof typeof TENANT_SUBGROUPS;

/** A user of the realm: demo staff, or the service account of a machine client. */
export interface RealmUser {
  id: string;
  username: string;
  firstName: string;
  lastName: string;
  email: string;
  /** Group paths, e.g. `/tenants/c_x001/operators`. */
  groups: string[];
  /** Roles held directly, besides those of the groups. */
  direct: RoleMappings;
  /** Set for the service account of a client (no password, client_credentials only). */
  serviceAccountClientId?: string;
}

export const DEMO_USERS: RealmUser[] = [
  user("8b0e7d1c-1f0a-4a51-9d3e-0c5a4f1b2a01", "admin.regione", "Anna", "Regionale", [], {
    realmRoles: ["platform-admin"],
    apiRoles: ["tenants.manage"],
  }),
  user("8b0e7d1c-1f0a-4a51-9d3e-0c5a4f1b2a02", "helpdesk", "Luca", "Assistenza", [], {
    realmRoles: ["regional-helpdesk"],
    apiRoles: ["positions.read", "receipts.read"],
  }),
  user("8b0e7d1c-1f0a-4a51-9d3e-0c5a4f1b2a03", "admin.borgo", "Giulia", "Fioretti", ["/tenants/c_x001/admins"]),
  user("8b0e7d1c-1f0a-4a51-9d3e-0c5a4f1b2a04", "operatore.borgo", "Marco", "Bianchi", ["/tenants/c_x001/operators"]),
  user("8b0e7d1c-1f0a-4a51-9d3e-0c5a4f1b2a05", "admin.valle", "Sara", "Vallesi", ["/tenants/c_x002/admins"]),
  user("8b0e7d1c-1f0a-4a51-9d3e-0c5a4f1b2a06", "operatore.valle", "Paolo", "Verdi", ["/tenants/c_x002/operators"]),
  user("8b0e7d1c-1f0a-4a51-9d3e-0c5a4f1b2a07", "viewer.borgo", "Elena", "Neri", ["/tenants/c_x001/viewers"]),
];

/** A client of the realm, in the shape both the dev provider and the Keycloak export need. */
export interface RealmClient {
  clientId: string;
  name: string;
  kind: "confidential" | "bearer-only" | "service-account";
  /** Development secret; a real Keycloak generates its own (see infra/keycloak/README.md). */
  secret?: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
}

export const CLIENTS: RealmClient[] = [
  {
    clientId: "pontepa-backoffice",
    name: "PontePA back-office",
    kind: "confidential",
    secret: "dev-backoffice-secret",
    // The back-office home is a redirect target too: the invitation e-mail (execute-actions-email)
    // sends the new person back there, and Keycloak accepts only a registered redirect URI.
    redirectUris: [
      "http://127.0.0.1:3000/backoffice/auth/callback",
      "http://localhost:3000/backoffice/auth/callback",
      "http://127.0.0.1:3000/backoffice/",
    ],
    postLogoutRedirectUris: ["http://127.0.0.1:3000/backoffice/"],
  },
  { clientId: API_CLIENT_ID, name: "PontePA API", kind: "bearer-only", redirectUris: [], postLogoutRedirectUris: [] },
  {
    clientId: "gestionale-borgo-fiorito",
    name: "Gestionale tributi del Comune di Borgo Fiorito",
    kind: "service-account",
    secret: "dev-gestionale-secret",
    redirectUris: [],
    postLogoutRedirectUris: [],
  },
  {
    // The back-office's own service account for the Admin REST API: invites staff and changes
    // their council group. It holds realm-management roles only, no staff or API role.
    clientId: "pontepa-admin",
    name: "PontePA gestione del personale",
    kind: "service-account",
    secret: "dev-admin-secret",
    redirectUris: [],
    postLogoutRedirectUris: [],
  },
];

/** Service-account users, one per service-account client, as Keycloak creates them. */
export const SERVICE_ACCOUNTS: RealmUser[] = [
  {
    id: "8b0e7d1c-1f0a-4a51-9d3e-0c5a4f1b2b01",
    username: "service-account-gestionale-borgo-fiorito",
    firstName: "",
    lastName: "",
    email: "",
    groups: ["/tenants/c_x001/systems"],
    direct: { realmRoles: [], apiRoles: [] },
    serviceAccountClientId: "gestionale-borgo-fiorito",
  },
  {
    id: "8b0e7d1c-1f0a-4a51-9d3e-0c5a4f1b2b02",
    username: "service-account-pontepa-admin",
    firstName: "",
    lastName: "",
    email: "",
    groups: [],
    direct: { realmRoles: [], apiRoles: [], managementRoles: [...MANAGEMENT_ROLES] },
    serviceAccountClientId: "pontepa-admin",
  },
];

/** Every group path of the realm, parents first; `tenants` adds councils beyond the demo ones (tests). */
export function groupPaths(tenants: ReadonlyArray<{ ipaCode: string }> = TENANTS): string[] {
  const paths = ["/tenants"];
  for (const tenant of tenants) {
    paths.push(`/tenants/${tenant.ipaCode}`);
    for (const sub of Object.keys(TENANT_SUBGROUPS)) paths.push(`/tenants/${tenant.ipaCode}/${sub}`);
  }
  return paths;
}

/** Role mappings of one group path of this file (only the per-tenant leaves carry roles). */
export function groupRoles(path: string): RoleMappings {
  const leaf = path.split("/")[3] as TenantSubgroup | undefined;
  return leaf && leaf in TENANT_SUBGROUPS ? TENANT_SUBGROUPS[leaf] : { realmRoles: [], apiRoles: [] };
}

/**
 * Effective roles of a user the way Keycloak computes them: direct mappings plus those of every
 * group the user is in and of those groups' parents. `rolesOf` gives a group's mappings: the dev
 * IdP passes its directory's, which also knows groups created through the Admin API.
 */
export function effectiveRoles(u: RealmUser, rolesOf: (path: string) => RoleMappings = groupRoles): RoleMappings {
  const realm = new Set<RealmRole>(u.direct.realmRoles);
  const api = new Set<ApiRole>(u.direct.apiRoles);
  const management = new Set<ManagementRole>(u.direct.managementRoles ?? []);
  for (const path of u.groups) {
    const segments = path.split("/").filter(Boolean);
    for (let i = 1; i <= segments.length; i++) {
      const roles = rolesOf(`/${segments.slice(0, i).join("/")}`);
      roles.realmRoles.forEach((r) => realm.add(r));
      roles.apiRoles.forEach((r) => api.add(r));
      roles.managementRoles?.forEach((r) => management.add(r));
    }
  }
  return { realmRoles: [...realm].sort(), apiRoles: [...api].sort(), managementRoles: [...management].sort() };
}

function user(
  id: string,
  username: string,
  firstName: string,
  lastName: string,
  groups: string[],
  direct: RoleMappings = { realmRoles: [], apiRoles: [] },
): RealmUser {
  return { id, username, firstName, lastName, email: `${username}@pontepa.invalid`, groups, direct };
}
