import { Router, type Request, type Response } from "express";
import { z } from "zod";
import { AppError } from "../../server/platform/errors.ts";
import {
  getImport,
  layoutsFor,
  listImports,
  nativeTemplateCsv,
  NATIVE_COLUMN_HELP,
  outcomeFileName,
  outcomeStream,
  startImport,
  writeNativeTemplateXlsx,
  type OutcomeLayout,
  type StartedImport,
} from "../../server/imports/index.ts";
import {
  DAILY_EXPORT_LAYOUTS,
  exportContentType,
  exportFileName,
  exportRequestSchema,
  setDailyExports,
  writeExport,
} from "../../server/exports/index.ts";
import { staffActor, type BackofficeContext } from "./backoffice.context.ts";
import { allow } from "./guards.ts";
import { receiveCsrfFirstUpload } from "./csrf-first-upload.ts";
import { can } from "../../server/identity/staff/index.ts";
import { renderPage } from "./nav.ts";

const LAYOUT_LABELS: Record<OutcomeLayout, string> = {
  "mypay-scarti": "Scarti MyPay (_SCARTI.csv)",
  "mypay-esito": "Esito MyPay con IUV (_ESITO.csv)",
  govpay: "Esito GovPay (CSV)",
  native: "Esito PontePA (CSV)",
};
const FORMAT_LABELS: Record<string, string> = {
  NATIVE_CSV: "PontePA CSV",
  NATIVE_XLSX: "PontePA Excel",
  MYPAY: "MyPay",
  GOVPAY: "GovPay",
};
const STATUS_LABELS: Record<string, string> = {
  QUEUED: "In coda",
  RUNNING: "In corso",
  DONE: "Completato",
  FAILED: "Interrotto",
};
const DAILY_LAYOUT_LABELS: Record<string, string> = {
  native: "PontePA (CSV)",
  mypay: "MyPay pagati (CSV)",
  govpay: "GovPay riscossioni (CSV)",
};
const idParam = z.object({ importId: z.uuid() });

/**
 * Bulk import of debt files: upload (native CSV/XLSX, MyPay zip, GovPay CSV), a progress page
 * that refreshes itself (a meta refresh, so it works without JavaScript), the outcome files and
 * the native layout's templates. The worker does the import (server/imports).
 */
export function importPages(ctx: BackofficeContext): Router {
  const router = Router({ mergeParams: true });
  const base = (res: Response) => `/backoffice/enti/${res.locals.tenant!.ipaCode}/importazioni`;

  const showList = async (res: Response, error?: string, flash?: string) => {
    const tenant = res.locals.tenant!;
    const imports = await listImports(ctx.deps.db, tenant.id, 30);
    res.status(error ? 422 : 200);
    renderPage(res, "imports", base(res), {
      title: "Importazione da file",
      error,
      flash,
      dailyExports: DAILY_EXPORT_LAYOUTS.map((layout) => ({
        layout,
        label: DAILY_LAYOUT_LABELS[layout],
        checked: tenant.dailyExportLayouts.includes(layout),
      })),
      canConfigure: can(res.locals.staff!.principal, "tenant.configure", tenant.ipaCode),
      imports: imports.map((i) => ({
        ...i,
        formatLabel: FORMAT_LABELS[i.format],
        statusLabel: STATUS_LABELS[i.status],
      })),
    });
  };

  router.get("/importazioni", allow("tenant.read"), (req, res) =>
    showList(res, undefined, req.query.esito === "giornaliera" ? "Esportazione giornaliera aggiornata." : undefined),
  );

  // Which paid-receipt layouts the worker writes every day into the drop folder's out/.
  router.post("/importazioni/esportazione-giornaliera", allow("tenant.configure"), async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const chosen = ([] as unknown[]).concat(body.tracciati ?? []);
    if (!chosen.every((c) => typeof c === "string" && (DAILY_EXPORT_LAYOUTS as string[]).includes(c)))
      return showList(res, "Esportazione giornaliera: tracciato non valido");
    await setDailyExports(ctx.deps.db, res.locals.tenant!.id, chosen as string[], staffActor(res.locals.staff!));
    res.redirect(303, `${base(res)}?esito=giornaliera`);
  });

  router.post("/importazioni", allow("positions.write"), async (req, res) => {
    try {
      const started = await receiveUpload(ctx, req, res);
      res.redirect(303, `${base(res)}/${started.import.id}${started.duplicate ? "?gia-caricato=1" : ""}`);
    } catch (err) {
      if (err instanceof AppError && err.status < 500 && err.code !== "CSRF_INVALID") return showList(res, err.message);
      throw err;
    }
  });

  router.get("/importazioni/modello.csv", allow("tenant.read"), (_req, res) => {
    res.type("text/csv; charset=utf-8").attachment("modello-posizioni.csv").send(nativeTemplateCsv());
  });
  router.get("/importazioni/modello.xlsx", allow("tenant.read"), async (_req, res) => {
    res.type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet").attachment("modello-posizioni.xlsx");
    await writeNativeTemplateXlsx(res, NATIVE_COLUMN_HELP);
    res.end();
  });

  // The export form (GET, so a bookmark repeats it): paid receipts of a period or the open debts.
  const sendExport = async (req: Request, res: Response, csvOnly = false) => {
    const q = req.query as Record<string, string | undefined>;
    const blank = (v?: string) => (v === "" ? undefined : v);
    const request = exportRequestSchema.safeParse({
      kind: q.tipo === "aperti" ? "open" : "paid",
      from: blank(q.dal),
      to: blank(q.al),
      layout: blank(q.tracciato),
      format: csvOnly ? "csv" : blank(q.formato),
    });
    if (!request.success) return showList(res, `Esportazione: ${request.error.issues[0]!.message}`);
    res.type(exportContentType(request.data)).attachment(exportFileName(res.locals.tenant!.ipaCode, request.data));
    await writeExport(ctx.deps.db, res.locals.tenant!.id, request.data, res);
  };
  router.get("/importazioni/esporta", allow("tenant.read"), (req, res) => sendExport(req, res));
  // The first address of the paid-receipts export (CSV only), kept for bookmarks.
  router.get("/importazioni/pagati.csv", allow("tenant.read"), (req, res) => sendExport(req, res, true));

  router.get("/importazioni/:importId", allow("tenant.read"), async (req: Request<{ importId: string }>, res) => {
    const { importId } = idParam.parse(req.params);
    const view = await getImport(ctx.deps.db, res.locals.tenant!.id, importId);
    renderPage(res, "import-detail", base(res), {
      title: `Importazione ${view.file.fileName}`,
      file: {
        ...view.file,
        formatLabel: FORMAT_LABELS[view.file.format],
        statusLabel: STATUS_LABELS[view.file.status],
      },
      processed: view.processed,
      percent: view.percent,
      finished: view.finished,
      duplicate: req.query["gia-caricato"] === "1",
      refreshSeconds: view.finished ? undefined : 2,
      outcomes: layoutsFor(view.file.format).map((layout) => ({ layout, label: LAYOUT_LABELS[layout] })),
      base: base(res),
    });
  });

  router.get(
    "/importazioni/:importId/esito/:layout",
    allow("tenant.read"),
    async (req: Request<{ importId: string; layout: string }>, res) => {
      const { importId } = idParam.parse(req.params);
      const view = await getImport(ctx.deps.db, res.locals.tenant!.id, importId);
      const layout = layoutsFor(view.file.format).find((l) => l === req.params.layout);
      if (!layout) throw new AppError("NOT_FOUND", "Formato di esito non disponibile", 404);
      const stream = await outcomeStream(ctx.deps.db, res.locals.tenant!.id, importId, layout);
      res.type("text/csv; charset=utf-8").attachment(outcomeFileName(view.file.fileName, layout));
      stream.pipe(res);
    },
  );
  return router;
}

/**
 * The form's file, after its CSRF token (checked before any file byte is accepted), handed as a
 * stream to startImport (hashed and stored as it arrives, never buffered whole).
 */
function receiveUpload(ctx: BackofficeContext, req: Request, res: Response): Promise<StartedImport> {
  const noFile = (malformed: boolean, detail?: string) =>
    new AppError(
      "IMPORT_FILE_INVALID",
      malformed ? `Invio non valido: ${detail ?? "scegli un file"}` : "Scegli un file da caricare",
      422,
    );
  return receiveCsrfFirstUpload(
    req,
    res,
    { field: "file", fileSize: ctx.deps.config.IMPORT_MAX_BYTES + 1, noFile },
    (file) =>
      startImport(
        ctx.deps,
        res.locals.tenant!,
        { name: file.name, content: file.stream, source: "BACKOFFICE" },
        staffActor(res.locals.staff!),
        res.locals.requestId as string | undefined,
      ),
  );
}
