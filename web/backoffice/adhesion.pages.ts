import { Router, type Request, type Response } from "express";
import { adhesionBoard, adhesionDetail, newTenantChoices } from "../../server/tenancy/index.ts";
import { AppError } from "../../server/platform/errors.ts";
import { can } from "../../server/identity/staff/index.ts";
import { renderPage } from "./nav.ts";
import type { BackofficeContext } from "./backoffice.context.ts";
import { stepFormView } from "../shared/adhesion-steps.ts";
import type { ShownErrors } from "../shared/form-errors.ts";

const ORIGINS: Record<string, string> = {
  COUNCIL: "Ente (pagina pubblica)",
  REGION: "Regione",
  BULK: "Caricamento massivo",
};

const OUTCOMES: Record<string, string> = {
  aperta: "Richiesta aperta: il collegamento dell'ente è stato inviato per e-mail.",
  "aperta-senza-email": "Richiesta aperta, ma l'e-mail con il collegamento dell'ente non è partita.",
  passo: "Passo completato.",
  ente: "Ente creato in collaudo e referente invitato.",
  completata: "Adesione completata: l'ente è in collaudo.",
};

export interface DetailState {
  values?: Record<string, string>;
  shown?: ShownErrors;
  outcome?: string;
}

/**
 * A request's page: its data, its steps (done, current with what it waits for, to do), the form
 * of the current step for those who may drive it (helpdesk.write), the links to the council's
 * collaudo and go-live pages once it exists, and its history.
 */
export async function showAdhesionDetail(ctx: BackofficeContext, res: Response, ipa: string, state: DetailState = {}) {
  const detail = await adhesionDetail(ctx.deps.db, ipa);
  if (!detail) throw new AppError("NOT_FOUND", "Richiesta di adesione non trovata", 404);
  const r = detail.request;
  const canWrite = can(res.locals.staff!.principal, "helpdesk.write");
  const stations =
    canWrite && r.step === "TENANT"
      ? (await newTenantChoices(ctx.deps.db)).stations.filter((s) => s.environment === "TEST")
      : [];
  const shown = state.shown ?? { errors: {}, errorList: [] };
  res.status(shown.errorList.length ? 422 : 200);
  renderPage(res, "adhesion-detail", "/backoffice/assistenza/adesioni", {
    title: `Adesione · ${r.name}`,
    r: { ...r, originLabel: ORIGINS[r.origin] },
    steps: detail.steps,
    history: detail.history,
    canWrite,
    step: r.step,
    base: `/backoffice/assistenza/adesioni/${r.ipaCode}`,
    hasPlan: Boolean(r.tenantId && r.information && (r.step === "PLAN" || r.step === "DONE")),
    stations: stations.map((s) => ({ ...s, selected: state.values?.stationCode === s.code })),
    flash: state.outcome ? OUTCOMES[state.outcome] : undefined,
    canManagePlatform: can(res.locals.staff!.principal, "platform.manage"),
    ...stepFormView(
      { segregationCode: r.segregationCode ?? "", holder: r.name.slice(0, 140), iban: r.iban ?? "", ...state.values },
      shown.errors,
    ),
    errorList: shown.errorList,
  });
}

/**
 * The helpdesk's adhesion board (#17 item 1): every council's request, its step, who it waits
 * for and what for; search by name or IPA code, filter by step or owner, 25 a page. Mounted
 * behind allow("helpdesk.read") (regional helpdesk and platform admins); the actions that change
 * a request are in adhesion-actions.pages.ts.
 */
export function adhesionPages(ctx: BackofficeContext): Router {
  const router = Router();
  const { db } = ctx.deps;
  router.get("/", async (req, res) => {
    const board = await adhesionBoard(db, req.query as Record<string, string>);
    const q = board.query;
    const link = (page: number) =>
      `?${new URLSearchParams({ ...(q.q ? { q: q.q } : {}), ...(q.step ? { step: q.step } : {}), ...(q.owner ? { owner: q.owner } : {}), page: String(page) })}`;
    renderPage(res, "adhesion-board", "/backoffice/assistenza/adesioni", {
      title: "Adesioni degli enti",
      board: {
        ...board,
        rows: board.rows.map((r) => ({ ...r, originText: ORIGINS[r.origin] })),
        steps: board.steps.map((s) => ({ ...s, selected: s.step === q.step })),
      },
      prev: board.page > 1 ? link(board.page - 1) : null,
      next: board.page < board.pages ? link(board.page + 1) : null,
      ownerCouncil: q.owner === "council",
      ownerRegion: q.owner === "region",
      canWrite: can(res.locals.staff!.principal, "helpdesk.write"),
    });
  });
  router.get("/:ipa", async (req: Request<{ ipa: string }>, res) =>
    showAdhesionDetail(ctx, res, req.params.ipa, {
      outcome: typeof req.query.esito === "string" ? req.query.esito : undefined,
    }),
  );
  return router;
}
