import { z } from "zod";
import type { TreasuryImportView } from "../../treasury/index.ts";
import { described, iso, isoDate, isoDateTime } from "./common.ts";

const CREDIT_STATUS = described(
  z.enum(["MATCHED", "AMOUNT_MISMATCH", "FLOW_NOT_FOUND", "NO_PAGOPA_REFERENCE"]),
  "MATCHED riconciliato con il flusso; AMOUNT_MISMATCH gli accrediti del flusso non ne danno il totale; FLOW_NOT_FOUND flusso non ancora ricevuto; NO_PAGOPA_REFERENCE senza riferimento pagoPA",
  "MATCHED reconciled with its flow; AMOUNT_MISMATCH the flow's credits do not add up to its total; FLOW_NOT_FOUND flow not received yet; NO_PAGOPA_REFERENCE no pagoPA reference",
);

export const treasuryFileSummaryOut = z.object({
  treasuryFileId: z.uuid(),
  fileName: z.string(),
  format: described(
    z.string(),
    "Tracciato e versione riconosciuti (es. «OPI 1.6.1+», «CSV», «XLS»)",
    'Layout and version detected (e.g. "OPI 1.6.1+", "CSV", "XLS")',
  ),
  source: described(z.enum(["BACKOFFICE", "API", "DROP_FOLDER"]), "Canale di arrivo", "Door it came through"),
  creditsRead: z.number().int(),
  duplicates: described(
    z.number().int(),
    "Movimenti già presenti in un giornale precedente (non contati due volte)",
    "Movements already held from an earlier journal (not counted twice)",
  ),
  importedAt: isoDateTime,
});

export const treasuryFileOut = treasuryFileSummaryOut.extend({
  duplicate: described(
    z.boolean(),
    "Gli stessi byte erano già stati importati: nulla è cambiato, questo è il giornale precedente",
    "The same bytes were imported before: nothing changed, this is the earlier journal",
  ),
  matched: described(z.number().int(), "Accrediti del file riconciliati ora", "The file's credits reconciled now"),
  unmatched: z.number().int(),
  byStatus: z.object({
    MATCHED: z.number().int(),
    AMOUNT_MISMATCH: z.number().int(),
    FLOW_NOT_FOUND: z.number().int(),
    NO_PAGOPA_REFERENCE: z.number().int(),
  }),
  rowErrors: described(
    z.array(z.object({ row: z.number().int(), reason: z.string() })),
    "Righe scartate con il motivo",
    "Rows refused, with the reason",
  ),
  credits: described(
    z.array(
      z.object({
        creditId: z.uuid(),
        valueDate: isoDate,
        amountCents: z.number().int(),
        description: z.string(),
        flowId: z.string().nullable(),
        status: CREDIT_STATUS,
      }),
    ),
    "Gli accrediti letti dal file (i primi 500)",
    "The credits read from the file (the first 500)",
  ),
});

export const treasuryFileListOut = z.object({ items: z.array(treasuryFileSummaryOut) });

type Summary = Pick<TreasuryImportView, "id" | "fileName" | "format" | "source" | "duplicates" | "importedAt"> & {
  creditsRead?: number;
  creditsCount?: number;
};

export const toTreasuryFileSummaryOut = (v: Summary) => ({
  treasuryFileId: v.id,
  fileName: v.fileName,
  format: v.format,
  source: v.source as "BACKOFFICE" | "API" | "DROP_FOLDER",
  creditsRead: v.creditsRead ?? v.creditsCount ?? 0,
  duplicates: v.duplicates,
  importedAt: iso(v.importedAt)!,
});

export const toTreasuryFileOut = (v: TreasuryImportView, duplicate = false) => ({
  ...toTreasuryFileSummaryOut(v),
  duplicate,
  matched: v.matched,
  unmatched: v.unmatched,
  byStatus: v.byStatus,
  rowErrors: v.rowErrors,
  credits: v.credits.map((c) => ({
    creditId: c.id,
    valueDate: c.valueDate.toISOString().slice(0, 10),
    amountCents: c.amountCents,
    description: c.description,
    flowId: c.flowId,
    status: c.status as "MATCHED",
  })),
});
