/**
 * Builds the Keycloak realm representation (the JSON `kc.sh import` reads) from the realm data the
 * development IdP serves, so the two cannot drift apart.
 */
import {
  API_ROLES,
  CLIENTS,
  DEMO_PASSWORD,
  DEMO_USERS,
  REALM_NAME,
  REALM_ROLES,
  SERVICE_ACCOUNTS,
  TENANT_SUBGROUPS,
  TENANTS,
  API_CLIENT_ID,
  REALM_MANAGEMENT_CLIENT_ID,
  type RealmClient,
  type RealmUser,
  type RoleMappings,
} from "../dev-idp/oidc/realm-data.ts";

/** The user attribute that marks demo users (to be deleted in production). */
export const DEMO_ATTRIBUTE = "pontepa-demo-only";

export interface RealmExportOptions {
  /** Leave out the demo users and the development client secrets (Keycloak then generates them). */
  production?: boolean;
  /** Back-office base URL for a production realm, e.g. https://pagamenti.regione.example; replaces the loopback ones. */
  backofficeUrl?: string;
}

type Json = Record<string, unknown>;

/** The realm export as a plain object, ready for `JSON.stringify`. */
export function buildRealmExport(options: RealmExportOptions = {}): Json {
  return {
    realm: REALM_NAME,
    displayName: "PontePA",
    enabled: true,
    sslRequired: "external",
    registrationAllowed: false,
    resetPasswordAllowed: true,
    loginWithEmailAllowed: true,
    duplicateEmailsAllowed: false,
    bruteForceProtected: true,
    internationalizationEnabled: true,
    supportedLocales: ["it"],
    defaultLocale: "it",
    accessTokenLifespan: 300,
    ssoSessionIdleTimeout: 1800,
    ssoSessionMaxLifespan: 36000,
    roles: {
      realm: REALM_ROLES.map((r) => ({ name: r.name, description: r.description })),
      client: { [API_CLIENT_ID]: API_ROLES.map((r) => ({ name: r.name, description: r.description })) },
    },
    groups: [
      {
        name: "tenants",
        path: "/tenants",
        subGroups: TENANTS.map((t) => ({
          name: t.ipaCode,
          path: `/tenants/${t.ipaCode}`,
          attributes: { ipaCode: [t.ipaCode], displayName: [t.name] },
          subGroups: Object.entries(TENANT_SUBGROUPS).map(([name, roles]) => ({
            name,
            path: `/tenants/${t.ipaCode}/${name}`,
            ...roleMappings(roles),
          })),
        })),
      },
    ],
    clients: CLIENTS.map((c) => client(c, options)),
    users: [...(options.production ? [] : DEMO_USERS.map(demoUser)), ...SERVICE_ACCOUNTS.map(serviceAccount)],
  };
}

/**
 * Keycloak's `realmRoles` / `clientRoles`. `realm-management` is the client every Keycloak realm
 * has built in, so its roles (held by the staff-administration service account) are only
 * referenced here, never declared.
 */
function roleMappings(roles: RoleMappings): Json {
  const clientRoles: Record<string, string[]> = {};
  if (roles.apiRoles.length) clientRoles[API_CLIENT_ID] = [...roles.apiRoles];
  if (roles.managementRoles?.length) clientRoles[REALM_MANAGEMENT_CLIENT_ID] = [...roles.managementRoles];
  return { realmRoles: [...roles.realmRoles], clientRoles };
}

function client(c: RealmClient, options: RealmExportOptions): Json {
  const base = {
    clientId: c.clientId,
    name: c.name,
    enabled: true,
    protocol: "openid-connect",
    publicClient: false,
    clientAuthenticatorType: "client-secret",
    ...(c.secret && !options.production ? { secret: c.secret } : {}),
    consentRequired: false,
    implicitFlowEnabled: false,
    directAccessGrantsEnabled: false,
    fullScopeAllowed: true,
  };
  if (c.kind === "bearer-only") {
    return {
      ...base,
      bearerOnly: true,
      standardFlowEnabled: false,
      serviceAccountsEnabled: false,
      redirectUris: [],
      webOrigins: [],
      attributes: {},
    };
  }
  const mappers = protocolMappers(c.clientId);
  if (c.kind === "service-account") {
    return {
      ...base,
      bearerOnly: false,
      standardFlowEnabled: false,
      serviceAccountsEnabled: true,
      redirectUris: [],
      webOrigins: [],
      attributes: { "access.token.signed.response.alg": "RS256" },
      protocolMappers: mappers,
    };
  }
  const backoffice = options.backofficeUrl?.replace(/\/+$/, "");
  // The back-office home is the landing page of the invitation e-mail (execute-actions-email's redirect_uri).
  const redirectUris = backoffice
    ? [`${backoffice}/backoffice/auth/callback`, `${backoffice}/backoffice/`]
    : c.redirectUris;
  const postLogout = backoffice ? [`${backoffice}/backoffice/`] : c.postLogoutRedirectUris;
  return {
    ...base,
    bearerOnly: false,
    standardFlowEnabled: true,
    serviceAccountsEnabled: false,
    frontchannelLogout: true,
    redirectUris,
    webOrigins: ["+"],
    attributes: {
      "pkce.code.challenge.method": "S256",
      "post.logout.redirect.uris": postLogout.join("##"),
      "id.token.signed.response.alg": "RS256",
      "access.token.signed.response.alg": "RS256",
      "use.refresh.tokens": "true",
    },
    protocolMappers: mappers,
  };
}

/** The claims the dev IdP emits, as Keycloak mappers (ID token, access token and userinfo). */
function protocolMappers(clientId: string): Json[] {
  const everywhere = { "id.token.claim": "true", "access.token.claim": "true", "userinfo.token.claim": "true" };
  return [
    {
      name: "groups",
      protocol: "openid-connect",
      protocolMapper: "oidc-group-membership-mapper",
      consentRequired: false,
      config: { "claim.name": "groups", "full.path": "true", ...everywhere },
    },
    {
      name: "realm roles",
      protocol: "openid-connect",
      protocolMapper: "oidc-usermodel-realm-role-mapper",
      consentRequired: false,
      config: { "claim.name": "realm_access.roles", multivalued: "true", "jsonType.label": "String", ...everywhere },
    },
    {
      name: "client roles",
      protocol: "openid-connect",
      protocolMapper: "oidc-usermodel-client-role-mapper",
      consentRequired: false,
      config: {
        "claim.name": "resource_access.${client_id}.roles",
        multivalued: "true",
        "jsonType.label": "String",
        ...everywhere,
      },
    },
    {
      name: "own audience",
      protocol: "openid-connect",
      protocolMapper: "oidc-audience-mapper",
      consentRequired: false,
      config: { "included.client.audience": clientId, "id.token.claim": "false", "access.token.claim": "true" },
    },
  ];
}

function demoUser(u: RealmUser): Json {
  return {
    id: u.id,
    username: u.username,
    email: u.email,
    emailVerified: true,
    firstName: u.firstName,
    lastName: u.lastName,
    enabled: true,
    attributes: { [DEMO_ATTRIBUTE]: ["true"] },
    credentials: [{ type: "password", value: DEMO_PASSWORD, temporary: false }],
    groups: [...u.groups],
    ...roleMappings(u.direct),
  };
}

function serviceAccount(u: RealmUser): Json {
  return {
    id: u.id,
    username: u.username,
    enabled: true,
    serviceAccountClientId: u.serviceAccountClientId,
    groups: [...u.groups],
    ...roleMappings(u.direct),
  };
}
