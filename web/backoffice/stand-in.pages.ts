import { Router, type Request, type Response } from "express";
import { z } from "zod";
import { can } from "../../server/identity/staff/index.ts";
import { AppError } from "../../server/platform/errors.ts";
import { acaStatus, setAcaEnabled } from "../../server/nodo/aca/index.ts";
import { staffActor, type BackofficeContext } from "./backoffice.context.ts";
import { allow } from "./guards.ts";
import { renderPage } from "./nav.ts";

const switchForm = z.object({ attivo: z.enum(["si", "no"]) });

const FLASH: Record<string, string> = {
  attivato: "Allineamento Stand-In attivato: gli avvisi pagabili vengono inviati all'archivio pagoPA.",
  disattivato: "Allineamento Stand-In disattivato: nessun nuovo invio all'archivio pagoPA.",
};

/**
 * A council's Stand-In alignment (ACA, server/nodo/aca): the switch and how far the archive is
 * aligned (pending, failing, last sync). Reading needs tenant.read; the switch tenant.configure
 * (the council's admin, or the platform admin).
 */
export function standInPages(ctx: BackofficeContext): Router {
  const router = Router({ mergeParams: true });
  const { db } = ctx.deps;
  const base = (res: Response) => `/backoffice/enti/${res.locals.tenant!.ipaCode}/stand-in`;

  router.get("/stand-in", allow("tenant.read"), async (req: Request, res: Response) => {
    const tenant = res.locals.tenant!;
    renderPage(res, "stand-in", base(res), {
      title: "Stand-In (ACA)",
      base: base(res),
      flash: FLASH[String(req.query.esito ?? "")],
      status: await acaStatus(db, tenant.id),
      canConfigure: can(res.locals.staff!.principal, "tenant.configure", tenant.ipaCode),
    });
  });

  router.post("/stand-in", allow("tenant.configure"), async (req: Request, res: Response) => {
    const form = switchForm.safeParse(req.body);
    if (!form.success) throw new AppError("FORM_INVALID", "Scelta non valida", 422);
    const enabled = form.data.attivo === "si";
    await setAcaEnabled(db, res.locals.tenant!.id, enabled, staffActor(res.locals.staff!));
    res.redirect(303, `${base(res)}?esito=${enabled ? "attivato" : "disattivato"}`);
  });

  return router;
}
