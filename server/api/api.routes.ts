import { Router } from "express";
import type { Deps } from "../platform/deps.ts";
import { resolveTenant } from "../platform/http/resolve-tenant.ts";
import { findTenantByIpaCode } from "../tenancy/index.ts";
import { requireApiToken } from "./api-auth.middleware.ts";
import { apiClientStatus } from "./api-client-status.middleware.ts";
import { apiRateLimit } from "./api-rate-limit.ts";
import { createApiTokenVerifier, type ApiPrincipal } from "./api-token.ts";
import { apiDocsRoutes } from "./docs.routes.ts";
import { buildOpenApiDocument } from "./openapi.ts";
import { mountOperations, type Operation } from "./operation.ts";
import { importOperations } from "./operations/imports.operations.ts";
import { documentOperations } from "./operations/documents.operations.ts";
import { paymentOperations } from "./operations/payments.operations.ts";
import { positionOperations } from "./operations/positions.operations.ts";
import { webhookOperations } from "./operations/webhooks.operations.ts";
import { webhookChangeOperations } from "./operations/webhook-changes.operations.ts";
import { payLinkOperations } from "./operations/pay-links.operations.ts";
import { treasuryOperations } from "./operations/treasury.operations.ts";

/** Every operation of `/api/v1`, in matching order (literal segments before parameters). */
export const API_OPERATIONS: readonly Operation[] = [
  ...positionOperations,
  ...documentOperations,
  ...webhookOperations,
  ...webhookChangeOperations,
  ...paymentOperations,
  ...payLinkOperations,
  ...importOperations,
  ...treasuryOperations,
];

/** The OpenAPI 3.1 document of exactly these operations. */
export const apiDocument = (deps: Pick<Deps, "config">) =>
  buildOpenApiDocument(API_OPERATIONS, { issuer: deps.config.OIDC_ISSUER_URL });

/**
 * The REST API for council systems (`/api/v1`), authenticated by the realm's bearer tokens.
 * Every route sits under `/tenants/:ipa`: the token must carry that tenant's systems group
 * (otherwise 403 before anything is read), and every read then runs in that tenant's RLS scope,
 * so an id of another tenant is not found even if a check were missing. Each client spends from
 * its own rate budget (Redis), and its writes honour an Idempotency-Key.
 */
export function apiRoutes(
  deps: Deps,
  verify = createApiTokenVerifier({ issuer: deps.config.OIDC_ISSUER_URL, audience: deps.config.OIDC_API_AUDIENCE }),
): Router {
  const api = Router();
  api.use(requireApiToken(verify));
  api.use(
    apiRateLimit({
      redis: deps.redis,
      prefix: deps.config.QUEUE_PREFIX,
      perMinute: deps.config.API_RATE_LIMIT_PER_MINUTE,
      logger: deps.logger,
    }),
  );

  const tenant = Router({ mergeParams: true });
  api.use(
    "/tenants/:ipa",
    resolveTenant({
      find: (ipa) => findTenantByIpaCode(deps.db, ipa),
      authorize: (ipa, res) => (res.locals.apiPrincipal as ApiPrincipal).tenants.has(ipa),
      forbiddenMessage: "This client may not act for this tenant",
      notFoundMessage: "Tenant not found",
    }),
    tenant,
  );
  tenant.use(apiClientStatus(deps.db, deps.config.API_CLIENT_CACHE_MS));
  mountOperations(tenant, "/tenants/:ipa", API_OPERATIONS, deps);
  return api;
}

/** The public documentation of the same API: `/openapi.json` and `/docs` (mount before `apiRoutes`). */
export function apiDocumentationRoutes(deps: Pick<Deps, "config">): Router {
  return apiDocsRoutes(() => apiDocument(deps));
}
