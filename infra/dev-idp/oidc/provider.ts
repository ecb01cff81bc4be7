import Provider, { type ClientMetadata, type Configuration, type KoaContextWithOIDC } from "oidc-provider";
import { accessTokenAudience, userClaims } from "./claims.ts";
import type { RealmKeys } from "./keys.ts";
import { realmAdapter } from "./realm-adapter.ts";
import { escapeHtml, page } from "./pages.ts";
import { CLIENTS, REALM_NAME, type RealmClient } from "./realm-data.ts";
import type { UserDirectory } from "./user-directory.ts";

/** Keycloak's route names under `/realms/<realm>`. */
export const KEYCLOAK_ROUTES = {
  authorization: "/protocol/openid-connect/auth",
  token: "/protocol/openid-connect/token",
  jwks: "/protocol/openid-connect/certs",
  userinfo: "/protocol/openid-connect/userinfo",
  end_session: "/protocol/openid-connect/logout",
  introspection: "/protocol/openid-connect/token/introspect",
  revocation: "/protocol/openid-connect/revoke",
  pushed_authorization_request: "/protocol/openid-connect/ext/par/request",
} as const;

/**
 * The one resource server every access token is for. Clients never send `resource` (Keycloak has
 * no such parameter), so it is the default; it only exists to make oidc-provider issue JWTs.
 */
const REALM_RESOURCE = "urn:pontepa:realm";
const OIDC_SCOPES = ["openid", "offline_access", "profile", "email", "roles"];

export interface RealmProviderOptions {
  /** e.g. http://127.0.0.1:4200/realms/pontepa */
  issuer: string;
  keys: RealmKeys;
  /** Extra back-office base URLs (e.g. an e2e server on another port) allowed as redirect targets. */
  backofficeBaseUrls?: string[];
  /** The realm's users (demo, service accounts, invited). */
  directory: UserDirectory;
}

/** A client's valid redirect URIs, with the extra back-office base URLs (e2e, tests) added. */
export function clientRedirectUris(
  client: RealmClient,
  backofficeBaseUrls: string[],
): { redirectUris: string[]; postLogoutRedirectUris: string[] } {
  if (client.kind !== "confidential") return { redirectUris: [], postLogoutRedirectUris: [] };
  const extra = backofficeBaseUrls.map((u) => u.replace(/\/+$/, ""));
  return {
    redirectUris: [
      ...client.redirectUris,
      ...extra.flatMap((u) => [`${u}/backoffice/auth/callback`, `${u}/backoffice/`]),
    ],
    postLogoutRedirectUris: [...client.postLogoutRedirectUris, ...extra.map((u) => `${u}/backoffice/`)],
  };
}

/**
 * Configures panva's oidc-provider as the Keycloak realm: authorization code with PKCE (S256,
 * required), JWT access tokens with Keycloak's claims, refresh tokens, client_credentials for
 * service accounts, RP-initiated logout. Consent is never asked (Keycloak's default for clients
 * with "consent required" off); the login form lives in `interactions.routes.ts`.
 */
export function createRealmProvider(options: RealmProviderOptions): Provider {
  const mount = new URL(options.issuer).pathname.replace(/\/+$/, "");
  const configuration: Configuration = {
    clients: CLIENTS.filter((c) => c.kind !== "bearer-only").map((c) =>
      clientMetadata(c, options.backofficeBaseUrls ?? []),
    ),
    adapter: realmAdapter(options.directory),
    clientAuthMethods: ["client_secret_basic", "client_secret_post"],
    jwks: { keys: [options.keys.signing] },
    cookies: {
      keys: options.keys.cookieKeys,
      names: { session: `KEYCLOAK_SESSION_${REALM_NAME}`, interaction: "_interaction", resume: "_interaction_resume" },
    },
    routes: KEYCLOAK_ROUTES,
    responseTypes: ["code"],
    scopes: OIDC_SCOPES,
    pkce: { required: () => true },
    claims: {
      // Keycloak's default client scopes (basic, roles) and the groups mapper apply to every
      // token, so these come with `openid` rather than with a scope the client must ask for.
      openid: ["sub", "realm_access", "resource_access", "groups"],
      profile: ["name", "given_name", "family_name", "preferred_username"],
      email: ["email", "email_verified"],
    },
    // Keycloak puts the scope claims in the ID token too, not only at userinfo.
    conformIdTokenClaims: false,
    ttl: {
      AccessToken: 300,
      ClientCredentials: 300,
      IdToken: 300,
      AuthorizationCode: 60,
      RefreshToken: 1800,
      Interaction: 1800,
      Session: 36_000,
      Grant: 36_000,
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => REALM_RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => {
          if (resource !== REALM_RESOURCE) throw new Error(`unknown resource ${resource}`);
          return {
            scope: OIDC_SCOPES.join(" "),
            accessTokenFormat: "jwt",
            accessTokenTTL: 300,
            jwt: { sign: { alg: "RS256" } },
          };
        },
      },
    },
    interactions: { url: (_ctx, interaction) => `${mount}/login-actions/${interaction.uid}` },
    findAccount: (_ctx, sub) => {
      const user = options.directory.byId(sub);
      if (!user || user.serviceAccountClientId) return undefined;
      return { accountId: user.id, claims: () => userClaims(user, options.directory.groupRolesOf) };
    },
    loadExistingGrant,
    // Keycloak hands a refresh token to every code flow client, without offline_access.
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed("refresh_token"),
    formats: { customizers: { jwt: (_ctx, token, jwt) => customizeAccessToken(options.directory, token, jwt) } },
    renderError: (ctx, out) => {
      ctx.type = "html";
      ctx.body = page(
        "Errore",
        `<h1>Si è verificato un errore</h1>
<p class="error" role="alert">${escapeHtml(String(out.error_description ?? out.error))}</p>
<p class="note">Codice: ${escapeHtml(String(out.error))}</p>`,
      );
    },
  };
  return new Provider(options.issuer, configuration);
}

function clientMetadata(client: RealmClient, backofficeBaseUrls: string[]): ClientMetadata {
  if (client.kind === "service-account") {
    return {
      client_id: client.clientId,
      client_secret: client.secret,
      client_name: client.name,
      grant_types: ["client_credentials"],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: "client_secret_basic",
    };
  }
  const uris = clientRedirectUris(client, backofficeBaseUrls);
  return {
    client_id: client.clientId,
    client_secret: client.secret,
    client_name: client.name,
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    redirect_uris: uris.redirectUris,
    post_logout_redirect_uris: uris.postLogoutRedirectUris,
    token_endpoint_auth_method: "client_secret_basic",
  };
}

/** Grants every requested scope at once: no realm client asks for consent. */
async function loadExistingGrant(ctx: KoaContextWithOIDC) {
  const { client, session, provider } = ctx.oidc;
  if (!client || !session?.accountId) return undefined;
  const grantId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
  const grant =
    (grantId ? await provider.Grant.find(grantId) : undefined) ??
    new provider.Grant({ clientId: client.clientId, accountId: session.accountId });
  const requested = [...ctx.oidc.requestParamScopes].filter((s) => OIDC_SCOPES.includes(s)).join(" ");
  grant.addOIDCScope(requested);
  grant.addResourceScope(REALM_RESOURCE, requested);
  await grant.save();
  return grant;
}

/** Makes oidc-provider's JWT access token look like a Keycloak one. */
async function customizeAccessToken(
  directory: UserDirectory,
  token: { kind: string; clientId?: string; accountId?: string },
  jwt: { header?: object; payload: Record<string, unknown> },
) {
  const clientId = token.clientId!;
  const user = token.accountId ? directory.byId(token.accountId) : directory.byServiceAccount(clientId);
  const claims = user ? userClaims(user, directory.groupRolesOf) : { sub: clientId };
  Object.assign(jwt.payload, claims, { typ: "Bearer", azp: clientId, aud: accessTokenAudience(clientId, claims) });
  if (!token.accountId) jwt.payload.client_id = clientId;
  else delete jwt.payload.client_id;
}

async function logoutSource(ctx: KoaContextWithOIDC, form: string) {
  // Keycloak skips the question when the RP proves who is logging out (id_token_hint); without
  // JavaScript the button still works.
  const autoSubmit = ctx.oidc.params?.id_token_hint
    ? `<script>document.getElementById("op.logoutForm").requestSubmit(document.getElementById("logout-yes"));</script>`
    : "";
  ctx.type = "html";
  ctx.body = page(
    "Uscita",
    `<h1>Vuoi uscire da PontePA?</h1>
${form.replace("<form ", '<form aria-label="Conferma uscita" ')}
<button type="submit" form="op.logoutForm" id="logout-yes" name="logout" value="yes" autofocus>Esci</button>
<button type="submit" form="op.logoutForm" class="secondary">Resta collegato</button>
${autoSubmit}`,
  );
}

async function postLogoutSuccessSource(ctx: KoaContextWithOIDC) {
  ctx.type = "html";
  ctx.body = page("Uscita completata", `<h1>Sei uscito da PontePA</h1><p>La sessione è stata chiusa.</p>`);
}
