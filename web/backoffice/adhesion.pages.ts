import { Router, type Request } from "express";
import { adhesionBoard, adhesionDetail } from "../../server/tenancy/index.ts";
import { AppError } from "../../server/platform/errors.ts";
import { renderPage } from "./nav.ts";
import type { BackofficeContext } from "./backoffice.context.ts";

const ORIGINS: Record<string, string> = {
  COUNCIL: "Ente (pagina pubblica)",
  REGION: "Regione",
  BULK: "Caricamento massivo",
};

/**
 * The helpdesk's adhesion board (#17 item 1): every council's request, its step, who it waits
 * for and what for; search by name or IPA code, filter by step or owner, 25 a page. Mounted
 * behind allow("helpdesk.read") (regional helpdesk and platform admins).
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
        rows: board.rows.map((r) => ({ ...r, originLabel: ORIGINS[r.origin] })),
        steps: board.steps.map((s) => ({ ...s, selected: s.step === q.step })),
      },
      prev: board.page > 1 ? link(board.page - 1) : null,
      next: board.page < board.pages ? link(board.page + 1) : null,
      ownerCouncil: q.owner === "council",
      ownerRegion: q.owner === "region",
    });
  });
  router.get("/:ipa", async (req: Request<{ ipa: string }>, res) => {
    const detail = await adhesionDetail(db, req.params.ipa);
    if (!detail) throw new AppError("NOT_FOUND", "Richiesta di adesione non trovata", 404);
    renderPage(res, "adhesion-detail", "/backoffice/assistenza/adesioni", {
      title: `Adesione · ${detail.request.name}`,
      r: { ...detail.request, originLabel: ORIGINS[detail.request.origin] },
      steps: detail.steps,
      history: detail.history,
    });
  });
  return router;
}
