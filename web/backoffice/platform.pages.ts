import { Router, type Request, type Response } from "express";
import { updateTenant } from "../../server/tenancy/index.ts";
import { FormValidationError } from "../../server/catalog/index.ts";
import { AppError } from "../../server/platform/errors.ts";
import { staffActor, type BackofficeContext } from "./backoffice.context.ts";
import { renderPage } from "./nav.ts";

/** Platform admin (mounted behind allow("platform.manage")): councils, the intermediary and its stations. */
export function platformPages(ctx: BackofficeContext): Router {
  const router = Router();
  const { db } = ctx.deps;

  router.get("/", async (_req, res) => {
    const [intermediaries, tenants] = await Promise.all([
      db.client.intermediary.findMany({ include: { stations: { orderBy: { code: "asc" } } }, orderBy: { name: "asc" } }),
      db.client.tenant.findMany({ include: { station: { select: { code: true } } }, orderBy: { name: "asc" } }),
    ]);
    renderPage(res, "platform", "/backoffice/piattaforma", { title: "Piattaforma", intermediaries, tenants });
  });

  const showTenant = async (req: Request<{ ipa: string }>, res: Response, values?: Record<string, unknown>, errors: Record<string, string> = {}, flash?: string) => {
    const tenant = await db.client.tenant.findUnique({ where: { ipaCode: req.params.ipa }, include: { station: { select: { code: true } }, intermediary: { select: { name: true, fiscalCode: true } } } });
    if (!tenant) throw new AppError("NOT_FOUND", "Ente non trovato", 404);
    const v = values ?? { ...tenant, logoUrl: (tenant.branding as { logoUrl?: string }).logoUrl ?? "" };
    renderPage(res, "platform-tenant", "/backoffice/piattaforma", {
      title: tenant.name,
      t: tenant,
      v,
      errors,
      flash,
      statuses: ["ONBOARDING", "TEST", "LIVE", "SUSPENDED"].map((s) => ({ value: s, selected: s === v.status })),
    });
  };
  router.get("/enti/:ipa", (req: Request<{ ipa: string }>, res) => showTenant(req, res));
  router.post("/enti/:ipa", async (req: Request<{ ipa: string }>, res) => {
    const b = req.body as Record<string, string>;
    try {
      await updateTenant(db, req.params.ipa, { name: b.name ?? "", status: b.status as never, segregationCode: b.segregationCode ?? "", cbill: b.cbill, contactEmail: b.contactEmail, logoUrl: b.logoUrl }, staffActor(res.locals.staff!));
      await showTenant(req, res, undefined, {}, "Dati dell'ente aggiornati.");
    } catch (err) {
      if (!(err instanceof FormValidationError)) throw err;
      res.status(422);
      await showTenant(req, res, b, err.fieldErrors);
    }
  });
  return router;
}
