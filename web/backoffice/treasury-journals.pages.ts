import { Router, type Request, type Response } from "express";
import busboy from "busboy";
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
import { allow, csrfTokenMatches } from "./guards.ts";
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

/**
 * The multipart body: the CSRF token first (checked before any byte of the file is accepted),
 * then one `file`, streamed into receiveTreasuryFile (which caps it at TREASURY_MAX_BYTES).
 */
function receiveUpload(ctx: BackofficeContext, req: Request, res: Response): Promise<TreasuryImportSummary> {
  const { config } = ctx.deps;
  return new Promise((resolve, reject) => {
    let csrfOk = false;
    let handled = false;
    let bb: busboy.Busboy;
    const invalid = (message: string) => new AppError("TREASURY_FILE_INVALID", message, 422);
    try {
      bb = busboy({
        headers: req.headers,
        limits: { files: 1, fields: 4, fieldSize: 1024, fileSize: config.TREASURY_MAX_BYTES + 1 },
      });
    } catch {
      return reject(invalid("Invio non valido: scegli un file"));
    }
    bb.on("field", (name, value) => {
      if (name === "_csrf") csrfOk = csrfTokenMatches(res, value);
    });
    bb.on("file", (name, stream, info) => {
      if (handled || name !== "file") return stream.resume();
      handled = true;
      if (!csrfOk) {
        stream.resume();
        return reject(
          new AppError(
            "CSRF_INVALID",
            "Il modulo è scaduto o non proviene da questa sessione: ricarica la pagina",
            403,
          ),
        );
      }
      if (!info.filename) {
        stream.resume();
        return reject(invalid("scegli un file da caricare"));
      }
      receiveTreasuryFile(
        ctx.deps,
        res.locals.tenant!.id,
        { name: info.filename, content: stream, source: "BACKOFFICE" },
        staffActor(res.locals.staff!),
        res.locals.requestId as string | undefined,
      ).then(resolve, (err: unknown) => {
        stream.resume();
        reject(err as Error);
      });
    });
    bb.on("close", () => {
      if (!handled) reject(invalid("scegli un file da caricare"));
    });
    bb.on("error", (err) => reject(invalid(`Invio non valido: ${(err as Error).message}`)));
    req.pipe(bb);
  });
}
