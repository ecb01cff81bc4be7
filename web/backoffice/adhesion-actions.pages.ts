import { Router, type Request, type Response } from "express";
import { z } from "zod";
import {
  activationPlanCsv,
  bulkOnboard,
  BULK_COLUMNS,
  completeAdhesion,
  createAdhesionTenant,
  findPublicBody,
  importPublicBodies,
  MAX_BULK_ROWS,
  renderAdhesionLetter,
  requestAdhesion,
  sendCouncilLink,
  signedLetter,
} from "../../server/tenancy/index.ts";
import { AppError, FormValidationError } from "../../server/platform/errors.ts";
import { staffActor, type BackofficeContext } from "./backoffice.context.ts";
import { allow } from "./guards.ts";
import { renderPage } from "./nav.ts";
import { showAdhesionDetail } from "./adhesion.pages.ts";
import { uploadOf } from "../shared/buffered-upload.ts";
import { formMessage, showErrors, type ShownErrors } from "../shared/form-errors.ts";
import { ADHESION_STEP_LABELS, COUNCIL_STEP_ACTIONS, doCouncilStep, typedValues } from "../shared/adhesion-steps.ts";

const text = z.preprocess((v) => (typeof v === "string" ? v : ""), z.string().max(300));
const newRequestForm = z.object({
  ipaCode: text,
  contactName: text,
  contactFiscalCode: text,
  contactEmail: text,
  segregationCode: text,
  iban: text,
});
const tenantForm = z.object({ stationCode: text, segregationCode: text });
const NEW_LABELS = {
  ...ADHESION_STEP_LABELS,
  ipaCode: "Codice IPA dell'ente",
  segregationCode: "Codice di segregazione",
  stationCode: "Stazione di collaudo",
};
const none: ShownErrors = { errors: {}, errorList: [] };

/** A refusal the helpdesk can act on (a form error or a named 4xx), as the form shows it; anything else is thrown. */
function refusal(err: unknown): ShownErrors {
  if (err instanceof FormValidationError) return showErrors(err.fieldErrors, NEW_LABELS);
  if (err instanceof AppError && err.status < 500) return formMessage(err.message);
  throw err;
}

/**
 * What the helpdesk does on the adhesion board (#17 items 1 and 5), behind helpdesk.write
 * (regional helpdesk and platform admins): import the IPA registry, open a request for a
 * council (the Region's door), onboard a wave from a CSV with the report of every row, do a
 * council's step on its behalf, create the council in TEST and confirm the activation plan sent.
 * Every change is audited by its use case. Mounted before adhesionPages (its /:ipa).
 */
export function adhesionActionPages(ctx: BackofficeContext): Router {
  const router = Router();
  const { db, config } = ctx.deps;
  const write = allow("helpdesk.write");
  const by = (res: Response) => staffActor(res.locals.staff!);

  const showNew = (res: Response, values: Record<string, string> = {}, shown = none) => {
    res.status(shown.errorList.length ? 422 : 200);
    renderPage(res, "adhesion-new", "/backoffice/assistenza/adesioni", {
      title: "Nuova richiesta di adesione",
      v: values,
      ...shown,
    });
  };
  router.get("/nuova", write, (_req, res) => showNew(res));
  router.post("/nuova", write, async (req, res) => {
    const form = newRequestForm.parse(req.body);
    try {
      const opened = await requestAdhesion(db, form, "REGION", by(res));
      const body = await findPublicBody(db, opened.ipaCode);
      const sent = await sendCouncilLink(
        ctx.deps.mailer,
        config.PUBLIC_BASE_URL,
        {
          name: body?.name ?? opened.ipaCode,
          contactName: form.contactName.trim() || null,
          contactEmail: form.contactEmail.trim().toLowerCase() || null,
          pecEmail: body?.pecEmail ?? null,
        },
        opened.councilLink,
      );
      res.redirect(
        303,
        `/backoffice/assistenza/adesioni/${opened.ipaCode}?esito=${sent ? "aperta" : "aperta-senza-email"}`,
      );
    } catch (err) {
      showNew(res, form, refusal(err));
    }
  });

  const showTool = (res: Response, view: "adhesion-bulk" | "adhesion-registry", data: Record<string, unknown>) =>
    renderPage(res, view, "/backoffice/assistenza/adesioni", data);
  const bulkPage = { title: "Caricamento massivo di enti", columns: BULK_COLUMNS, maxRows: MAX_BULK_ROWS };
  router.get("/massivo", write, (_req, res) => showTool(res, "adhesion-bulk", bulkPage));
  router.post("/massivo", write, async (req, res) => {
    const up = uploadOf(res);
    try {
      if (!up || up.truncated)
        throw new FormValidationError({ file: up ? "il file è troppo grande" : "scegli il file CSV" });
      const outcome = await bulkOnboard(
        { db, mailer: ctx.deps.mailer, publicBaseUrl: config.PUBLIC_BASE_URL },
        up.file,
        by(res),
      );
      showTool(res, "adhesion-bulk", {
        ...bulkPage,
        outcome: { ...outcome, rejectedRows: outcome.rows.filter((r) => !r.accepted) },
      });
    } catch (err) {
      res.status(422);
      showTool(res, "adhesion-bulk", { ...bulkPage, ...refusalOf(err, "File CSV degli enti") });
    }
  });

  const registryPage = { title: "Elenco IPA degli enti" };
  router.get("/elenco-ipa", write, (_req, res) => showTool(res, "adhesion-registry", registryPage));
  router.post("/elenco-ipa", write, async (req, res) => {
    const up = uploadOf(res);
    try {
      if (!up || up.truncated)
        throw new FormValidationError({ file: up ? "il file è troppo grande" : "scegli il file CSV" });
      showTool(res, "adhesion-registry", { ...registryPage, outcome: await importPublicBodies(db, up.file, by(res)) });
    } catch (err) {
      res.status(422);
      showTool(res, "adhesion-registry", { ...registryPage, ...refusalOf(err, "File dell'elenco IPA") });
    }
  });

  // A request's documents, for whoever reads the board.
  router.get("/:ipa/lettera.pdf", async (req: Request<{ ipa: string }>, res) => {
    const letter = await renderAdhesionLetter({ db, pdf: ctx.deps.pdf }, req.params.ipa);
    res.type("application/pdf").attachment(letter.fileName).send(letter.pdf);
  });
  router.get("/:ipa/lettera-firmata", async (req: Request<{ ipa: string }>, res) => {
    const letter = await signedLetter(db, req.params.ipa);
    if (!letter) throw new AppError("NOT_FOUND", "La lettera firmata non è ancora stata caricata", 404);
    res.type("application/octet-stream").attachment(letter.fileName).send(letter.file);
  });
  router.get("/:ipa/piano.csv", async (req: Request<{ ipa: string }>, res) => {
    const plan = await activationPlanCsv(db, req.params.ipa);
    res.type("text/csv; charset=utf-8").attachment(plan.fileName).send(plan.csv);
  });

  // The council's steps, done by the helpdesk on the council's behalf (same forms as its link page).
  for (const action of COUNCIL_STEP_ACTIONS)
    router.post(`/:ipa/${action}`, write, async (req: Request<{ ipa: string }>, res) => {
      const shown = await doCouncilStep(db, req.params.ipa, action, { body: req.body, upload: uploadOf(res) }, by(res));
      if (!shown) return res.redirect(303, `/backoffice/assistenza/adesioni/${req.params.ipa}?esito=passo`);
      await showAdhesionDetail(ctx, res, req.params.ipa, { values: typedValues(req.body), shown });
    });
  // The Region's steps.
  router.post("/:ipa/ente", write, async (req: Request<{ ipa: string }>, res) => {
    const form = tenantForm.parse(req.body);
    try {
      await createAdhesionTenant(
        {
          db,
          realm: ctx.realm,
          sessions: ctx.sessions,
          mailer: ctx.deps.mailer,
          backofficeUrl: ctx.invitationReturn.redirectUri,
        },
        req.params.ipa,
        form,
        by(res),
        ctx.invitationReturn,
      );
      res.redirect(303, `/backoffice/assistenza/adesioni/${req.params.ipa}?esito=ente`);
    } catch (err) {
      await showAdhesionDetail(ctx, res, req.params.ipa, { values: form, shown: refusal(err) });
    }
  });
  router.post("/:ipa/piano-inviato", write, async (req: Request<{ ipa: string }>, res) => {
    try {
      await completeAdhesion(db, req.params.ipa, by(res));
      res.redirect(303, `/backoffice/assistenza/adesioni/${req.params.ipa}?esito=completata`);
    } catch (err) {
      await showAdhesionDetail(ctx, res, req.params.ipa, { shown: refusal(err) });
    }
  });
  return router;
}

/** A refused file: the message next to the file field. */
function refusalOf(err: unknown, label: string): ShownErrors {
  if (err instanceof FormValidationError) return showErrors(err.fieldErrors, { file: label });
  if (err instanceof AppError && err.status < 500) return showErrors({ file: err.message }, { file: label });
  throw err;
}
