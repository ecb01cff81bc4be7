import { Router, type NextFunction, type Request, type Response } from "express";
import type { Deps } from "../platform/deps.ts";
import { AppError } from "../platform/errors.ts";
import { renderPositionNotice } from "../notices/index.ts";
import { renderReceiptPdfByReceiptId } from "../receipts/index.ts";
import { sendPdf } from "../../web/shared/send-pdf.ts";
import { requireApiToken } from "./api-auth.middleware.ts";
import { createApiTokenVerifier, type ApiPrincipal } from "./api-token.ts";

declare module "express-serve-static-core" {
  interface Locals {
    apiTenant?: { id: string; ipaCode: string };
  }
}

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
export function apiRoutes(deps: Deps, verify = createApiTokenVerifier({ issuer: deps.config.OIDC_ISSUER_URL, audience: deps.config.OIDC_API_AUDIENCE })): Router {
  const api = Router();
  api.use(requireApiToken(verify));

  const tenant = Router({ mergeParams: true });
  api.use("/tenants/:ipa", async (req: Request<{ ipa: string }>, res, next) => {
    const principal = res.locals.apiPrincipal as ApiPrincipal;
    if (!principal.tenants.has(req.params.ipa)) return next(new AppError("FORBIDDEN", "This client may not act for this tenant", 403));
    const found = await deps.db.client.tenant.findUnique({ where: { ipaCode: req.params.ipa }, select: { id: true, ipaCode: true } });
    if (!found) return next(new AppError("NOT_FOUND", "Tenant not found", 404));
    res.locals.apiTenant = found;
    next();
  }, tenant);

  const pdfDeps = { db: deps.db, pdf: deps.pdf };
  tenant.get("/positions/:positionId/notice.pdf", requireRole("positions.read"), async (req, res) => {
    sendPdf(res, await renderPositionNotice(pdfDeps, res.locals.apiTenant!.id, String(req.params.positionId)));
  });
  tenant.get("/receipts/:receiptId/receipt.pdf", requireRole("receipts.read"), async (req, res) => {
    sendPdf(res, await renderReceiptPdfByReceiptId(pdfDeps, res.locals.apiTenant!.id, String(req.params.receiptId)));
  });
  return api;
}
