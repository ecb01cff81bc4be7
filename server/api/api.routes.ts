import { Router, type NextFunction, type Request, type Response } from "express";
import type { Deps } from "../platform/deps.ts";
import { AppError } from "../platform/errors.ts";
import { resolveTenant, tenantOf } from "../platform/http/resolve-tenant.ts";
import { findTenantByIpaCode } from "../tenancy/index.ts";
import { renderPositionNotice } from "../notices/index.ts";
import { renderReceiptPdfByReceiptId } from "../receipts/index.ts";
import { sendPdf } from "../platform/http/send-pdf.ts";
import { requireApiToken } from "./api-auth.middleware.ts";
import { createApiTokenVerifier, type ApiPrincipal } from "./api-token.ts";

/** The roles a route needs, checked after the tenant. */
function requireRole(role: string) {
  return (_req: Request, res: Response, next: NextFunction) => {
    const principal = res.locals.apiPrincipal as ApiPrincipal;
    next(principal.roles.has(role) ? undefined : new AppError("FORBIDDEN", `This client lacks the role ${role}`, 403));
  };
}

/**
 * The REST API for council systems (`/api/v1`), authenticated by the realm's bearer tokens.
 * Every route sits under `/tenants/:ipa`: the token must carry that tenant's systems group
 * (otherwise 403 before anything is read), and every read then runs in that tenant's RLS scope,
 * so an id of another tenant is not found even if a check were missing.
 */
export function apiRoutes(
  deps: Deps,
  verify = createApiTokenVerifier({ issuer: deps.config.OIDC_ISSUER_URL, audience: deps.config.OIDC_API_AUDIENCE }),
): Router {
  const api = Router();
  api.use(requireApiToken(verify));

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

  const pdfDeps = { db: deps.db, pdf: deps.pdf };
  tenant.get("/positions/:positionId/notice.pdf", requireRole("positions.read"), async (req, res) => {
    sendPdf(res, await renderPositionNotice(pdfDeps, tenantOf(res).id, String(req.params.positionId)));
  });
  tenant.get("/receipts/:receiptId/receipt.pdf", requireRole("receipts.read"), async (req, res) => {
    sendPdf(res, await renderReceiptPdfByReceiptId(pdfDeps, tenantOf(res).id, String(req.params.receiptId)));
  });
  return api;
}
