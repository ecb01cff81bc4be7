import { Router, type Request, type Response } from "express";
import { z } from "zod";
import { AppError } from "../../server/platform/errors.ts";
import { listImports } from "../../server/imports/index.ts";
import {
  getPrintRun,
  listPrintRuns,
  printRunFileNames,
  printRunFileStream,
  startPrintRun,
  type PrintRunFileKind,
} from "../../server/notices/index.ts";
import { staffActor, type BackofficeContext } from "./backoffice.context.ts";
import { allow } from "./guards.ts";
import { renderPage } from "./nav.ts";

const STATUS_LABELS: Record<string, string> = {
  QUEUED: "In coda",
  RUNNING: "In corso",
  DONE: "Completata",
  FAILED: "Interrotta",
};
const FILES: Array<{ kind: PrintRunFileKind; label: string; type: string }> = [
  { kind: "zip", label: "Avvisi singoli, uno per posizione (ZIP)", type: "application/zip" },
  { kind: "pdf", label: "Tutti gli avvisi in un solo PDF, per il postalizzatore", type: "application/pdf" },
  { kind: "manifest", label: "Elenco per il postalizzatore (CSV)", type: "text/csv; charset=utf-8" },
];
const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const formSchema = z.object({
  importId: z.preprocess(blankToUndefined, z.uuid("Importazione non valida").optional()),
  paymentTypeCode: z.preprocess(blankToUndefined, z.string().trim().max(35).optional()),
  dueFrom: z.preprocess(blankToUndefined, z.string().optional()),
  dueTo: z.preprocess(blankToUndefined, z.string().optional()),
});
const idParam = z.object({ runId: z.uuid() });
/** What a refused form shows back: its text fields only. */
const echoSchema = z
  .record(z.string(), z.unknown())
  .transform((b) => Object.fromEntries(Object.entries(b).filter(([, v]) => typeof v === "string")));

/**
 * Mass printing of notices ("Stampa avvisi"): choose what to print (an import, a payment type, a
 * due-date range), start the job, watch a progress page that refreshes itself (a meta refresh, so
 * it works without JavaScript), download the zip, the merged PDF and the printer's manifest.
 */
export function printRunPages(ctx: BackofficeContext): Router {
  const router = Router({ mergeParams: true });
  const base = (res: Response) => `/backoffice/enti/${res.locals.tenant!.ipaCode}/stampe`;

  const showList = async (res: Response, error?: string, values: Record<string, unknown> = {}) => {
    const tenant = res.locals.tenant!;
    const [runs, imports] = await Promise.all([
      listPrintRuns(ctx.deps.db, tenant.id),
      listImports(ctx.deps.db, tenant.id, 30),
    ]);
    res.status(error ? 422 : 200);
    renderPage(res, "print-runs", base(res), {
      title: "Stampa avvisi",
      error,
      values,
      imports: imports
        .filter((i) => i.status === "DONE" && i.accepted > 0)
        .map((i) => ({
          id: i.id,
          label: `${i.fileName} (${i.accepted} righe applicate)`,
          selected: i.id === values["importId"],
        })),
      runs: runs.map((r) => ({ ...r, statusLabel: STATUS_LABELS[r.status] })),
      base: base(res),
    });
  };

  router.get("/stampe", allow("tenant.read"), (req, res) => {
    const importId = typeof req.query["importazione"] === "string" ? req.query["importazione"] : undefined;
    return showList(res, undefined, { importId });
  });

  router.post("/stampe", allow("positions.write"), async (req, res) => {
    const form = formSchema.safeParse(req.body);
    if (!form.success) return showList(res, form.error.issues[0]!.message, echoSchema.parse(req.body ?? {}));
    try {
      const run = await startPrintRun(
        ctx.deps,
        res.locals.tenant!.id,
        form.data,
        staffActor(res.locals.staff!),
        res.locals.requestId as string | undefined,
      );
      res.redirect(303, `${base(res)}/${run.id}`);
    } catch (err) {
      if (err instanceof AppError && err.status === 422) return showList(res, err.message, form.data);
      throw err;
    }
  });

  router.get("/stampe/:runId", allow("tenant.read"), async (req: Request<{ runId: string }>, res) => {
    const { runId } = idParam.parse(req.params);
    const view = await getPrintRun(ctx.deps.db, res.locals.tenant!.id, runId);
    renderPage(res, "print-run-detail", base(res), {
      title: "Stampa avvisi",
      run: { ...view.run, statusLabel: STATUS_LABELS[view.run.status] },
      selection: view.selection,
      percent: view.percent,
      finished: view.finished,
      done: view.run.status === "DONE",
      refreshSeconds: view.finished ? undefined : 2,
      files: FILES,
      base: base(res),
    });
  });

  router.get(
    "/stampe/:runId/file/:kind",
    allow("tenant.read"),
    async (req: Request<{ runId: string; kind: string }>, res) => {
      const { runId } = idParam.parse(req.params);
      const file = FILES.find((f) => f.kind === req.params.kind);
      const { run } = await getPrintRun(ctx.deps.db, res.locals.tenant!.id, runId);
      if (!file || run.status !== "DONE") throw new AppError("NOT_FOUND", "File non disponibile", 404);
      const name = printRunFileNames(res.locals.tenant!.ipaCode, run.createdAt)[file.kind];
      res.type(file.type).attachment(name);
      printRunFileStream(run.storageDir, name)
        .on("error", () => res.destroy())
        .pipe(res);
    },
  );
  return router;
}
