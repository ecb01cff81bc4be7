import { Router, type Request, type Response } from "express";
import { AppError } from "../../server/platform/errors.ts";
import { can } from "../../server/identity/staff/index.ts";
import {
  listTreasuryImports,
  receiveTreasuryFile,
  treasuryImportView,
  type CreditStatus,
  type TreasuryImportSummary,
} from "../../server/treasury/index.ts";
import { staffActor, type BackofficeContext } from "./backoffice.context.ts";
import { allow } from "./guards.ts";
import { receiveCsrfFirstUpload } from "./csrf-first-upload.ts";
import { renderPage } from "./nav.ts";
import { CREDIT_STATUS_LABELS } from "./reconciliation.pages.ts";
import { showErrors } from "../shared/form-errors.ts";

export const SOURCE_LABELS: Record<string, string> = {
  BACKOFFICE: "back-office",
  API: "API",
  DROP_FOLDER: "cartella condivisa",
};
const FILE_LABEL = { file: { label: "Giornale di cassa", id: "file" } };

/**
 * The treasurer's journal (giornale di cassa) uploaded from the reconciliation section: the form
 * with the journals imported so far (any door), and each import's outcome (format and version
 * detected, credits read, matched, not matched, rows refused with the reason, links to the
 * credits). Uploading needs positions.write, as the manual match does; the server reads,
 * deduplicates and audits (server/treasury/receive-treasury-file.ts).
 */
export function treasuryJournalPages(ctx: BackofficeContext): Router {
  const router = Router({ mergeParams: true });
  const { db } = ctx.deps;
  const base = (res: Response) => `/backoffice/enti/${res.locals.tenant!.ipaCode}/riconciliazione`;

  const showForm = async (res: Response, error?: { status: number; message: string }) => {
    const tenant = res.locals.tenant!;
    const imports = await listTreasuryImports(db, tenant.id);
    res.status(error?.status ?? 200);
    renderPage(res, "treasury-journals", base(res), {
      title: "Giornali di cassa",
      sectionBase: base(res),
      canUpload: can(res.locals.staff!.principal, "positions.write", tenant.ipaCode),
      imports: imports.map((i) => ({ ...i, sourceLabel: SOURCE_LABELS[i.source] ?? i.source })),
      ...showErrors(error ? { file: error.message } : {}, FILE_LABEL),
    });
  };

  router.get("/riconciliazione/giornali", allow("tenant.read"), (_req, res) => showForm(res));

  router.post("/riconciliazione/giornali", allow("positions.write"), async (req, res) => {
    try {
      const summary = await receiveUpload(ctx, req, res);
      res.redirect(
        303,
        `${base(res)}/giornali/${summary.importId}${summary.duplicate ? "?gia-caricato=1" : "?esito=importato"}`,
      );
    } catch (err) {
      if (err instanceof AppError && err.status < 500 && err.code !== "CSRF_INVALID")
        return showForm(res, { status: err.status, message: err.message });
      throw err;
    }
  });

  router.get("/riconciliazione/giornali/:journalId", allow("tenant.read"), async (req: Request, res) => {
    const view = await treasuryImportView(db, res.locals.tenant!.id, String(req.params.journalId));
    renderPage(res, "treasury-journal", base(res), {
      title: `Giornale di cassa ${view.fileName}`,
      sectionBase: base(res),
      flash:
        req.query["gia-caricato"] === "1"
          ? "Questo giornale era già stato importato: non è cambiato nulla."
          : req.query.esito === "importato"
            ? "Giornale di cassa importato."
            : undefined,
      journal: {
        ...view,
        sourceLabel: SOURCE_LABELS[view.source] ?? view.source,
        statuses: Object.entries(view.byStatus).map(([status, n]) => ({
          status,
          n,
          label: CREDIT_STATUS_LABELS[status as CreditStatus],
        })),
        credits: view.credits.map((c) => ({
          ...c,
          statusLabel: CREDIT_STATUS_LABELS[c.status as CreditStatus] ?? c.status,
          ok: c.status === "MATCHED",
        })),
        more: view.credits.length < view.matched + view.unmatched,
      },
    });
  });
  return router;
}

/** The form's `file`, after its CSRF token, streamed into receiveTreasuryFile (capped at TREASURY_MAX_BYTES). */
function receiveUpload(ctx: BackofficeContext, req: Request, res: Response): Promise<TreasuryImportSummary> {
  const noFile = (malformed: boolean, detail?: string) =>
    new AppError(
      "TREASURY_FILE_INVALID",
      malformed ? `Invio non valido${detail ? `: ${detail}` : ": scegli un file"}` : "scegli un file da caricare",
      422,
    );
  return receiveCsrfFirstUpload(
    req,
    res,
    { field: "file", fileSize: ctx.deps.config.TREASURY_MAX_BYTES + 1, noFile },
    (file) =>
      receiveTreasuryFile(
        ctx.deps,
        res.locals.tenant!.id,
        { name: file.name, content: file.stream, source: "BACKOFFICE" },
        staffActor(res.locals.staff!),
        res.locals.requestId as string | undefined,
      ),
  );
}
