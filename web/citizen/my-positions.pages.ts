import { Router, type Request, type Response } from "express";
import { AppError } from "../../server/platform/errors.ts";
import { findDebtorPosition, listCitizenPositions } from "../../server/positions/index.ts";
import { citizenTenantStatuses } from "../../server/tenancy/index.ts";
import { renderPositionNotice } from "../../server/notices/index.ts";
import { sendPdf } from "../../server/platform/http/send-pdf.ts";
import type { CitizenContext } from "./citizen.context.ts";

/** The logged-in citizen as SPID certified them. */
export interface CitizenIdentity {
  fiscalCode: string;
  name: string;
}

export interface MyPositionsOptions {
  /** The citizen of this request, or null when nobody is logged in. */
  identityOf: (req: Request, res: Response) => Promise<CitizenIdentity | null> | CitizenIdentity | null;
  /** Where to send an anonymous visitor (the SPID login page), with the return path appended. */
  loginPath: string;
}

/**
 * "Le mie posizioni" (SPID required): the open debts of the logged-in fiscal code across every
 * council, each with its notice to download and a button to pay (through the same live check as
 * "pay a notice"), and the payments made with their receipts. The fiscal code always comes from
 * the session, never from the request.
 */
export function myPositionsPages(ctx: CitizenContext, options: MyPositionsOptions): Router {
  const router = Router();

  async function citizen(req: Request, res: Response): Promise<CitizenIdentity | null> {
    const who = await options.identityOf(req, res);
    if (!who) res.redirect(303, `${options.loginPath}${encodeURIComponent(req.originalUrl)}`);
    return who;
  }

  router.get("/le-mie-posizioni", async (req, res) => {
    const who = await citizen(req, res);
    if (!who) return;
    const { open, paid } = await listCitizenPositions(
      ctx.deps.db,
      who.fiscalCode,
      new Date(),
      100,
      citizenTenantStatuses(ctx.deps.config.NODE_ENV === "production"),
    );
    res
      .set("Cache-Control", "private, no-store")
      .render("citizen/views/my-positions", { title: "Le mie posizioni", citizen: who, open, paid });
  });

  // The notice of one of the citizen's own positions: another person's position is "not found".
  router.get("/le-mie-posizioni/avvisi/:tenantId/:positionId", async (req, res) => {
    const who = await citizen(req, res);
    if (!who) return;
    const { tenantId, positionId } = req.params;
    const own = await findDebtorPosition(ctx.deps.db, tenantId, positionId, who.fiscalCode);
    if (!own) throw new AppError("NOT_FOUND", "Avviso non trovato", 404);
    sendPdf(res, await renderPositionNotice({ db: ctx.deps.db, pdf: ctx.deps.pdf }, tenantId, own.id));
  });

  return router;
}
