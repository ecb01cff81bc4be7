import type { RequestHandler } from "express";
import type { Database } from "../platform/db/database.ts";
import { AppError } from "../platform/errors.ts";
import { tenantOf } from "../platform/http/resolve-tenant.ts";
import type { ApiPrincipal } from "./api-token.ts";
import { findApiClient, realmRolesOf } from "./clients/index.ts";

/**
 * For a client the council manages from the back-office (a row in `api_clients`): a revoked one
 * is refused, even with a token issued before the revocation (401), and its roles are
 * narrowed to the ones its admin chose, whatever else its realm groups grant (the systems group
 * carries read and write for clients set up by hand). Clients without a row (configured in the
 * realm directly) keep what their token says. The record read is reused for `maxAgeMs` in this
 * process (API_CLIENT_CACHE_MS): a revocation made elsewhere is seen within that time, one made
 * here at once.
 */
export function apiClientStatus(db: Database, maxAgeMs: number): RequestHandler {
  return async (_req, res, next) => {
    const principal = res.locals.apiPrincipal as ApiPrincipal;
    const client = await findApiClient(db, tenantOf(res).id, principal.clientId, { maxAgeMs });
    if (!client) return next();
    if (client.revoked) {
      res.set("WWW-Authenticate", `Bearer realm="pontepa", error="invalid_token", error_description="client revoked"`);
      return next(new AppError("UNAUTHORIZED", "Bearer token refused: this API client has been revoked", 401));
    }
    const allowed = new Set(realmRolesOf(client.roles));
    res.locals.apiPrincipal = { ...principal, roles: new Set([...principal.roles].filter((r) => allowed.has(r))) };
    next();
  };
}
