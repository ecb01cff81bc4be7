import path from "node:path";
import express, { type Router } from "express";
import type Provider from "oidc-provider";
import { pino, type Logger } from "pino";
import { interactionRoutes } from "./interactions.routes.ts";
import { loadOrCreateRealmKeys, publicJwk } from "./keys.ts";
import { createRealmProvider, KEYCLOAK_ROUTES } from "./provider.ts";
import { REALM_NAME } from "./realm-data.ts";
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
  logger?: Logger;
}

export interface OidcRealm {
  /** Router to mount at `/realms/<realm>` (see `mountPath`). */
  router: Router;
  mountPath: string;
  issuer: string;
  provider: Provider;
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
  const provider = createRealmProvider({ issuer, keys, backofficeBaseUrls: options.backofficeBaseUrls });
  provider.on("server_error", (_ctx, error) => logger.error({ err: error }, "oidc-provider server error"));

  const router = express.Router();
  router.use(interactionRoutes(provider, logger));
  router.use(userinfoRoutes({ issuer, jwks: { keys: [publicJwk(keys.signing)] } }));
  router.post([KEYCLOAK_ROUTES.token, KEYCLOAK_ROUTES.introspection, KEYCLOAK_ROUTES.revocation], express.urlencoded({ extended: false, limit: "56kb" }), secretPostAsBasic);
  router.use(provider.callback());
  return { router, mountPath, issuer, provider };
}

/**
 * Keycloak accepts a client secret either in the Authorization header or in the form body;
 * oidc-provider accepts only the one method registered per client (basic here), so a secret in
 * the body is moved to the header before the provider sees the request.
 */
const secretPostAsBasic: express.RequestHandler = (req, _res, next) => {
  const body = req.body as Record<string, unknown> | undefined;
  if (!req.headers.authorization && body && typeof body.client_id === "string" && typeof body.client_secret === "string") {
    const credentials = `${encodeURIComponent(body.client_id)}:${encodeURIComponent(body.client_secret)}`;
    req.headers.authorization = `Basic ${Buffer.from(credentials).toString("base64")}`;
    delete body.client_id;
    delete body.client_secret;
  }
  next();
};
