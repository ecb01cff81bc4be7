import path from "node:path";
import express, { type Router } from "express";
import type Provider from "oidc-provider";
import { pino, type Logger } from "pino";
import { actionTokenRoutes } from "./action-token.routes.ts";
import { createRealmMailer } from "./actions-email.ts";
import { adminRoutes } from "./admin.routes.ts";
import { interactionRoutes } from "./interactions.routes.ts";
import { loadOrCreateRealmKeys, publicJwk } from "./keys.ts";
import { createRealmProvider, KEYCLOAK_ROUTES } from "./provider.ts";
import { REALM_NAME } from "./realm-data.ts";
import { UserDirectory } from "./user-directory.ts";
import { userinfoRoutes } from "./userinfo.routes.ts";

export { DEMO_PASSWORD, DEMO_USERS, CLIENTS, REALM_NAME } from "./realm-data.ts";
export { KEYCLOAK_ROUTES } from "./provider.ts";

export interface OidcRealmOptions {
  /** Public base URL of the dev IdP, e.g. http://127.0.0.1:4200; the issuer is `<base>/realms/<realm>`. */
  issuerBase: string;
  /** Where the realm keys live (created on first start). */
  dataDir: string;
  /** Extra back-office base URLs accepted as redirect and post-logout targets. */
  backofficeBaseUrls?: string[];
  /** Where the realm sends its e-mails (the invitation's "set your password" link). */
  smtpUrl: string;
  /** Councils whose groups the realm has besides the demo ones (tests onboard their own). */
  extraTenants?: Array<{ ipaCode: string }>;
  logger?: Logger;
}

export interface OidcRealm {
  /** Router to mount at `/realms/<realm>` (see `mountPath`). */
  router: Router;
  mountPath: string;
  /** Keycloak's Admin REST API subset, to mount at `/admin/realms/<realm>` (see `adminMountPath`). */
  adminRouter: Router;
  adminMountPath: string;
  issuer: string;
  provider: Provider;
  directory: UserDirectory;
  close: () => void;
}

/**
 * Creates the Keycloak-compatible realm `pontepa` (oidc-provider underneath), ready to mount at
 * `mountPath` on an Express app. Keys are read from, or created in, `dataDir`.
 */
export async function createOidcRealm(options: OidcRealmOptions): Promise<OidcRealm> {
  const logger = options.logger ?? pino({ name: "dev-idp-oidc" });
  const mountPath = `/realms/${REALM_NAME}`;
  const issuer = `${options.issuerBase.replace(/\/+$/, "")}${mountPath}`;
  const keys = await loadOrCreateRealmKeys(path.resolve(options.dataDir));
  const directory = await UserDirectory.open(path.resolve(options.dataDir), options.extraTenants);
  const provider = createRealmProvider({ issuer, keys, backofficeBaseUrls: options.backofficeBaseUrls, directory });
  provider.on("server_error", (_ctx, error) => logger.error({ err: error }, "oidc-provider server error"));
  const jwks = { keys: [publicJwk(keys.signing)] };
  const mailer = createRealmMailer(options.smtpUrl);

  const router = express.Router();
  // Before the login routes: `/login-actions/:uid` would otherwise take `action-token` for an interaction.
  router.use(actionTokenRoutes(directory, logger));
  router.use(interactionRoutes(provider, directory, logger));
  router.use(userinfoRoutes({ issuer, jwks, directory }));
  router.post(
    [KEYCLOAK_ROUTES.token, KEYCLOAK_ROUTES.introspection, KEYCLOAK_ROUTES.revocation],
    express.urlencoded({ extended: false, limit: "56kb" }),
    secretPostAsBasic,
  );
  router.use(provider.callback());

  const adminMountPath = `/admin/realms/${REALM_NAME}`;
  const adminRouter = adminRoutes({
    issuer,
    adminBase: `${options.issuerBase.replace(/\/+$/, "")}${adminMountPath}`,
    jwks,
    directory,
    mailer,
    backofficeBaseUrls: options.backofficeBaseUrls ?? [],
    logger,
  });
  return { router, mountPath, adminRouter, adminMountPath, issuer, provider, directory, close: () => mailer.close() };
}

/**
 * Keycloak accepts a client secret either in the Authorization header or in the form body;
 * oidc-provider accepts only the one method registered per client (basic here), so a secret in
 * the body is moved to the header before the provider sees the request.
 */
const secretPostAsBasic: express.RequestHandler = (req, _res, next) => {
  const body = req.body as Record<string, unknown> | undefined;
  if (
    !req.headers.authorization &&
    body &&
    typeof body.client_id === "string" &&
    typeof body.client_secret === "string"
  ) {
    const credentials = `${encodeURIComponent(body.client_id)}:${encodeURIComponent(body.client_secret)}`;
    req.headers.authorization = `Basic ${Buffer.from(credentials).toString("base64")}`;
    delete body.client_id;
    delete body.client_secret;
  }
  next();
};
