import { Router, type Request, type Response } from "express";
import { z } from "zod";
import {
  getCouncilLogo,
  getCouncilProfile,
  LOGO_MAX_BYTES,
  setCouncilLogo,
  updateCouncilProfile,
} from "../../server/tenancy/index.ts";
import { AppError, FormValidationError } from "../../server/platform/errors.ts";
import { can } from "../../server/identity/staff/index.ts";
import { staffActor, type BackofficeContext } from "./backoffice.context.ts";
import { allow } from "./guards.ts";
import { receiveCsrfFirstUpload } from "./csrf-first-upload.ts";
import { renderPage } from "./nav.ts";
import { showErrors, type ShownErrors } from "../shared/form-errors.ts";
import { sendLogo } from "../shared/send-logo.ts";

export const COUNCIL_SETTINGS_LABELS = {
  logo: "Logo",
  primaryColor: "Colore principale",
  privacyText: "Testo dell'informativa privacy",
  privacyUrl: "Indirizzo dell'informativa privacy",
  email: "E-mail",
  pec: "PEC",
  phone: "Telefono",
  officeHours: "Orari di apertura al pubblico",
  address: "Indirizzo della sede",
};

const text = z.string().max(25_000).catch("").default("");
const profileForm = z.object({
  primaryColor: text,
  privacyText: text,
  privacyUrl: text,
  email: text,
  pec: text,
  phone: text,
  officeHours: text,
  address: text,
});

/**
 * A council's own settings (issue 17 item 6): logo and colour for its portal pages and notices,
 * privacy notice and contacts. Everyone in the council sees them; its admin changes them.
 */
export function councilSettingsPages(ctx: BackofficeContext): Router {
  const router = Router({ mergeParams: true });
  const base = (res: Response) => `/backoffice/enti/${res.locals.tenant!.ipaCode}/impostazioni`;
  const show = async (
    res: Response,
    values?: Record<string, unknown>,
    shown: ShownErrors = { errors: {}, errorList: [] },
    flash?: string,
  ) => {
    const tenant = res.locals.tenant!;
    const profile = await getCouncilProfile(ctx.deps.db, tenant.id);
    renderPage(res, "council-settings", base(res), {
      title: "Impostazioni dell'ente",
      profile,
      v: values ?? profile,
      canConfigure: can(res.locals.staff!.principal, "tenant.configure", tenant.ipaCode),
      logoMaxKb: LOGO_MAX_BYTES / 1024,
      base: base(res),
      ...shown,
      flash,
    });
  };

  router.get("/impostazioni", allow("tenant.read"), async (_req, res) => show(res));

  router.post("/impostazioni", allow("tenant.configure"), async (req, res) => {
    const form = profileForm.parse(req.body ?? {});
    try {
      await updateCouncilProfile(ctx.deps.db, res.locals.tenant!.id, form, staffActor(res.locals.staff!));
      await show(res, undefined, undefined, "Impostazioni salvate: valgono subito per le pagine e i nuovi avvisi.");
    } catch (err) {
      if (!(err instanceof FormValidationError)) throw err;
      res.status(422);
      await show(res, form, showErrors(err.fieldErrors, COUNCIL_SETTINGS_LABELS));
    }
  });

  router.get("/impostazioni/logo", allow("tenant.read"), async (req, res) => {
    const logo = await getCouncilLogo(ctx.deps.db, res.locals.tenant!.id);
    if (!logo) throw new AppError("NOT_FOUND", "L'ente non ha un logo", 404);
    sendLogo(req, res, logo, "private");
  });

  router.post("/impostazioni/logo", allow("tenant.configure"), async (req, res) => {
    try {
      const bytes = await receiveLogo(req, res);
      await setCouncilLogo(ctx.deps.db, res.locals.tenant!.id, bytes, staffActor(res.locals.staff!));
      await show(res, undefined, undefined, "Logo aggiornato.");
    } catch (err) {
      if (!(err instanceof FormValidationError)) throw err;
      res.status(422);
      await show(res, undefined, showErrors(err.fieldErrors, COUNCIL_SETTINGS_LABELS));
    }
  });

  router.post("/impostazioni/logo/rimuovi", allow("tenant.configure"), async (_req, res) => {
    await setCouncilLogo(ctx.deps.db, res.locals.tenant!.id, null, staffActor(res.locals.staff!));
    await show(res, undefined, undefined, "Logo rimosso: pagine e avvisi mostrano le iniziali dell'ente.");
  });
  return router;
}

/**
 * Reads the multipart logo form: the CSRF token (its first field) is checked before any file
 * byte is kept, and the file is kept in memory only up to the logo limit (plus one byte, so an
 * oversized file is refused by the use case with its Italian message, not cut short).
 */
function receiveLogo(req: Request, res: Response): Promise<Buffer> {
  const noFile = (malformed: boolean) =>
    new FormValidationError({ logo: malformed ? "invio non valido: scegli un file" : "scegli un file" });
  return receiveCsrfFirstUpload(
    req,
    res,
    { field: "logo", fileSize: LOGO_MAX_BYTES + 1, maxFields: 2, noFile },
    async (file) => {
      const chunks: Buffer[] = [];
      for await (const c of file.stream) chunks.push(c as Buffer);
      return Buffer.concat(chunks);
    },
  );
}
