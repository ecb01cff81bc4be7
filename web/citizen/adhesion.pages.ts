import { Router, type Request, type Response } from "express";
import { z } from "zod";
import {
  activationPlanCsv,
  adhesionDetail,
  findPublicBody,
  renderAdhesionLetter,
  requestAdhesion,
  requestByCouncilLink,
  sendCouncilLink,
} from "../../server/tenancy/index.ts";
import { AppError, FormValidationError } from "../../server/platform/errors.ts";
import type { Actor } from "../../server/audit/index.ts";
import { showErrors, type ShownErrors } from "../shared/form-errors.ts";
import { uploadOf } from "../shared/buffered-upload.ts";
import {
  COUNCIL_STEP_ACTIONS,
  doCouncilStep,
  stepFormView,
  typedValues,
  type CouncilStepAction,
} from "../shared/adhesion-steps.ts";
import type { CitizenContext } from "./citizen.context.ts";

/** Who acts on the public pages: nobody logged in; the link (or the PEC it went to) is the proof. */
const PUBLIC_PAGE: Actor = { type: "citizen", id: "pagina-adesione" };
const COUNCIL_LINK: Actor = { type: "citizen", id: "collegamento-ente" };

const ipaQuery = z.object({ ipa: z.string().trim().max(40).optional().catch(undefined) });
const ipaForm = z.object({ ipaCode: z.preprocess((v) => (typeof v === "string" ? v : ""), z.string().max(40)) });
const LABELS = { ipaCode: "Codice IPA dell'ente" };

/**
 * The adhesion's public side (#17 item 1), no login: a council asks to join by its IPA code
 * (name, fiscal code and PEC come from the registry the Region imported) and gets its secret link
 * at its PEC; through that link it names its contact person, downloads the letter, uploads it
 * signed, fills in the information form and its creditor account, and downloads the activation
 * plan. Rate-limited (rate-limits.ts, "adhesion") and behind the portal's CSRF check.
 */
export function adhesionPages(ctx: CitizenContext): Router {
  const router = Router();
  const { db, config } = ctx.deps;

  const showRequestForm = async (
    res: Response,
    ipa: string | undefined,
    shown: ShownErrors = { errors: {}, errorList: [] },
  ) => {
    const body = ipa && !shown.errorList.length ? await findPublicBody(db, ipa) : null;
    const notFound = ipa && !shown.errorList.length && !body;
    const errors = notFound
      ? showErrors({ ipaCode: "non è nell'elenco degli enti della Regione: controlla il codice" }, LABELS)
      : shown;
    res.status(notFound || shown.errorList.length ? 422 : 200).render("citizen/views/adhesion-request", {
      title: "Richiesta di adesione alla piattaforma",
      ipa,
      body,
      ...errors,
    });
  };

  router.get("/adesione", async (req, res) => showRequestForm(res, ipaQuery.parse(req.query).ipa || undefined));
  router.post("/adesione", async (req, res) => {
    const { ipaCode } = ipaForm.parse(req.body);
    try {
      const opened = await requestAdhesion(db, { ipaCode }, "COUNCIL", PUBLIC_PAGE);
      const body = await findPublicBody(db, opened.ipaCode);
      // The link goes to the registry's PEC only: whoever typed the code proves nothing yet.
      const sent = body
        ? await sendCouncilLink(
            ctx.deps.mailer,
            config.PUBLIC_BASE_URL,
            { name: body.name, contactName: null, contactEmail: null, pecEmail: body.pecEmail },
            opened.councilLink,
          )
        : false;
      if (!sent) req.log?.warn({ ipaCode: opened.ipaCode }, "adhesion: the council's link was not e-mailed");
      res.redirect(303, `/adesione/inviata?ipa=${encodeURIComponent(opened.ipaCode)}&pec=${sent ? 1 : 0}`);
    } catch (err) {
      if (!(err instanceof FormValidationError)) throw err;
      await showRequestForm(res, ipaCode, showErrors(err.fieldErrors, LABELS));
    }
  });
  router.get("/adesione/inviata", async (req, res) => {
    const ipa = ipaQuery.parse(req.query).ipa;
    const body = ipa ? await findPublicBody(db, ipa) : null;
    if (!body) throw new AppError("NOT_FOUND", "Pagina non trovata", 404);
    res.render("citizen/views/adhesion-sent", {
      title: "Richiesta di adesione registrata",
      body,
      sent: req.query.pec === "1",
    });
  });

  // The council's link: the token is the access check (as for receipts), so it is never logged
  // nor sent on as a referrer.
  const councilIpa = async (req: Request<{ token: string }>, res: Response) => {
    res.set("Referrer-Policy", "no-referrer");
    res.set("X-Robots-Tag", "noindex");
    return requestByCouncilLink(db, req.params.token);
  };
  const showCouncil = async (
    req: Request<{ token: string }>,
    res: Response,
    ipa: string,
    state: { values?: Record<string, string>; shown?: ShownErrors; done?: boolean } = {},
  ) => {
    const detail = await adhesionDetail(db, ipa);
    if (!detail) throw new AppError("NOT_FOUND", "Collegamento non valido o scaduto", 404);
    const r = detail.request;
    const shown = state.shown ?? { errors: {}, errorList: [] };
    res.status(shown.errorList.length ? 422 : 200).render("citizen/views/adhesion-council", {
      title: `Adesione di ${r.name}`,
      r,
      steps: detail.steps,
      step: r.step,
      base: `/adesione/richiesta/${req.params.token}`,
      hasPlan: Boolean(r.tenantId && r.information && (r.step === "PLAN" || r.step === "DONE")),
      done: state.done,
      ...stepFormView(state.values, shown.errors),
      errorList: shown.errorList,
    });
  };

  router.get("/adesione/richiesta/:token", async (req: Request<{ token: string }>, res) =>
    showCouncil(req, res, await councilIpa(req, res), { done: req.query.fatto === "1" }),
  );
  router.get("/adesione/richiesta/:token/lettera.pdf", async (req: Request<{ token: string }>, res) => {
    const letter = await renderAdhesionLetter({ db, pdf: ctx.deps.pdf }, await councilIpa(req, res));
    res.type("application/pdf").attachment(letter.fileName).send(letter.pdf);
  });
  router.get("/adesione/richiesta/:token/piano.csv", async (req: Request<{ token: string }>, res) => {
    const plan = await activationPlanCsv(db, await councilIpa(req, res));
    res.type("text/csv; charset=utf-8").attachment(plan.fileName).send(plan.csv);
  });
  for (const action of COUNCIL_STEP_ACTIONS)
    router.post(`/adesione/richiesta/:token/${action}`, async (req: Request<{ token: string }>, res) => {
      const ipa = await councilIpa(req, res);
      const shown = await doCouncilStep(
        db,
        ipa,
        action satisfies CouncilStepAction,
        { body: req.body, upload: uploadOf(res) },
        COUNCIL_LINK,
      );
      if (!shown) return res.redirect(303, `/adesione/richiesta/${req.params.token}?fatto=1`);
      await showCouncil(req, res, ipa, { values: typedValues(req.body), shown });
    });
  return router;
}
