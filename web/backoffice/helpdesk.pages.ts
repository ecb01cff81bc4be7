import { Router, type Request, type Response } from "express";
import {
  findPayment,
  openNodoMessage,
  paymentQuerySchema,
  tenantsOverview,
  type PaymentTrace,
} from "../../server/helpdesk/index.ts";
import { readJournalMessage } from "../../server/nodo/journal/index.ts";
import { staffActor, type BackofficeContext } from "./backoffice.context.ts";
import { renderPage } from "./nav.ts";
import { detectHelpdeskQuery, HELPDESK_KINDS, helpdeskFormSchema, type HelpdeskKind } from "./helpdesk-query.ts";
import { HELPDESK_LABELS } from "./form-labels.ts";
import { fieldErrorsOf, showErrors, type ShownErrors } from "../shared/form-errors.ts";

interface SearchState {
  kind?: HelpdeskKind;
  value?: string;
  searchedAs?: string;
  traces?: PaymentTrace[] | null;
  shown?: ShownErrors;
}

/**
 * The regional helpdesk (mounted behind allow("helpdesk.read")): one search box across every
 * council, with the journal and timeline of what it finds, and the councils' overview. Both
 * use cases write each cross-tenant read to the audit log, so the search is a POST behind the
 * session's CSRF token: a link or an image on a foreign page cannot make a helpdesk person's
 * browser read (and audit) anything.
 */
export function helpdeskPages(ctx: BackofficeContext): Router {
  const router = Router();
  const show = (res: Response, state: SearchState = {}) => {
    const kind = state.kind ?? "auto";
    renderPage(res, "helpdesk-search", "/backoffice/assistenza", {
      title: "Assistenza: cerca un pagamento",
      kinds: Object.entries(HELPDESK_KINDS).map(([k, label]) => ({ value: k, label, selected: k === kind })),
      value: state.value ?? "",
      searchedAs: state.searchedAs,
      traces: state.traces ?? null,
      noResults: Array.isArray(state.traces) && state.traces.length === 0,
      ...(state.shown ?? { errors: {}, errorList: [] }),
    });
  };

  router.get("/", (_req, res) => show(res));

  router.post("/", async (req: Request, res) => {
    const form = helpdeskFormSchema.parse(req.body);
    if (!form.valore) {
      res.status(422);
      return show(res, {
        kind: form.per,
        shown: showErrors({ valore: "scrivi il codice o il codice fiscale da cercare" }, HELPDESK_LABELS),
      });
    }
    const detected = detectHelpdeskQuery(form.per, form.valore);
    const query = paymentQuerySchema.safeParse({ [detected.kind]: detected.value });
    if (!query.success) {
      res.status(422);
      return show(res, {
        kind: form.per,
        value: form.valore,
        shown: showErrors(fieldErrorsOf(query.error), HELPDESK_LABELS),
      });
    }
    const traces = await findPayment(
      ctx.deps.db,
      query.data,
      staffActor(res.locals.staff!),
      req.id as string | undefined,
    );
    show(res, { kind: form.per, value: form.valore, searchedAs: HELPDESK_KINDS[detected.kind], traces });
  });

  // One Nodo message of a result, opened from its journal row: the raw XML and the fault. The id
  // is an unguessable uuid seen only on a result page, and the read is audited in its council.
  router.get("/messaggi/:id", async (req: Request<{ id: string }>, res) => {
    const message = await openNodoMessage(
      ctx.deps.db,
      readJournalMessage,
      req.params.id,
      staffActor(res.locals.staff!),
      req.id as string | undefined,
    );
    renderPage(res, "helpdesk-message", "/backoffice/assistenza", { title: "Messaggio con il Nodo", message });
  });

  router.get("/enti", async (req, res) => {
    const overview = await tenantsOverview(ctx.deps.db, staffActor(res.locals.staff!));
    renderPage(res, "helpdesk-tenants", "/backoffice/assistenza/enti", { title: "Stato degli enti", overview });
  });
  return router;
}
