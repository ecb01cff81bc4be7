import { z } from "zod";
import type { ImportStatusView } from "../../imports/index.ts";
import { described, iso, isoDateTime } from "./common.ts";

export const OUTCOME_LAYOUT_NAMES = ["native", "mypay-scarti", "mypay-esito", "govpay"] as const;

export const importOut = z.object({
  importId: z.uuid(),
  fileName: z.string(),
  format: described(
    z.enum(["NATIVE_CSV", "NATIVE_XLSX", "MYPAY", "GOVPAY"]),
    "Tracciato riconosciuto",
    "Layout recognised",
  ),
  source: z.string(),
  status: described(
    z.enum(["QUEUED", "RUNNING", "DONE", "FAILED"]),
    "QUEUED in coda, RUNNING in corso, DONE completata, FAILED file rifiutato per intero (vedi failure)",
    "QUEUED, RUNNING, DONE, FAILED (the whole file refused: see failure)",
  ),
  duplicate: described(
    z.boolean(),
    "Gli stessi byte erano già stati caricati: nessuna nuova importazione, questa è la precedente",
    "The same bytes were uploaded before: no new import, this is the earlier one",
  ),
  sizeBytes: z.number().int(),
  accepted: z.number().int(),
  rejected: z.number().int(),
  percent: described(z.number().int().nullable(), "Avanzamento stimato (%)", "Estimated progress (%)"),
  finished: z.boolean(),
  failure: z.string().nullable(),
  outcomeLayouts: described(
    z.array(z.enum(OUTCOME_LAYOUT_NAMES)),
    "Esiti scaricabili da …/outcome/{layout}",
    "Outcome files downloadable from …/outcome/{layout}",
  ),
  createdAt: isoDateTime,
  finishedAt: isoDateTime.nullable(),
});

export const toImportOut = (view: ImportStatusView, layouts: string[], duplicate = false) => ({
  importId: view.file.id,
  fileName: view.file.fileName,
  format: view.file.format,
  source: view.file.source,
  status: view.file.status,
  duplicate,
  sizeBytes: view.file.sizeBytes,
  accepted: view.file.accepted,
  rejected: view.file.rejected,
  percent: view.percent,
  finished: view.finished,
  failure: view.file.failure,
  outcomeLayouts: layouts,
  createdAt: iso(view.file.createdAt)!,
  finishedAt: iso(view.file.finishedAt),
});
