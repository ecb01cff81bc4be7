import type { Writable } from "node:stream";
import { z } from "zod";
import type { Database } from "../platform/db/database.ts";
import { startOfRomeDay } from "../pagopa/index.ts";
import { paidReceiptPages } from "../receipts/index.ts";
import { openOptionPages, type OpenOptionRow } from "../positions/index.ts";
import { NATIVE_COLUMNS } from "../imports/index.ts";
import { PAID_LAYOUTS, euroDot, romeDay, type PaidLayout } from "./paid-layouts.ts";
import { CONTENT_TYPES, writeTable, type Cell, type ExportFormat, type Table } from "./table.ts";

const DAY = 86_400_000;

/**
 * What to export: `paid` receipts of a period of Rome days (both included, at most a year), in
 * PontePA's, MyPay's or GovPay's layout; or the `open` debts (optionally only those due in a
 * period), in PontePA's layout. XLSX is offered for PontePA's layout (the others are CSV files
 * by definition).
 */
export const exportRequestSchema = z
  .object({
    kind: z.enum(["paid", "open"]).default("paid"),
    from: z.iso.date("indica la data iniziale (aaaa-mm-gg)").optional(),
    to: z.iso.date("indica la data finale (aaaa-mm-gg)").optional(),
    layout: z.enum(["native", "mypay", "govpay"]).default("native"),
    format: z.enum(["csv", "xlsx"]).default("csv"),
  })
  .refine((r) => r.kind === "open" || (r.from !== undefined && r.to !== undefined), {
    message: "indica il periodo dei pagamenti (dal, al)",
    path: ["from"],
  })
  .refine((r) => !r.from || !r.to || r.from <= r.to, { message: "la data iniziale viene dopo la finale", path: ["to"] })
  .refine((r) => !r.from || !r.to || Date.parse(r.to) - Date.parse(r.from) <= 366 * DAY, {
    message: "al massimo un anno per volta",
    path: ["to"],
  })
  .refine((r) => r.kind === "paid" || r.layout === "native", {
    message: "le posizioni aperte si esportano nel tracciato PontePA",
    path: ["layout"],
  })
  .refine((r) => r.format === "csv" || r.layout === "native", {
    message: "il formato Excel è disponibile per il tracciato PontePA",
    path: ["format"],
  });
export type ExportRequest = z.output<typeof exportRequestSchema>;

/** [start of `from`, start of the day after `to`) in Rome time (DST-safe). */
function romePeriod(from?: string, to?: string): { from?: Date; to?: Date } {
  const next = to && new Date(Date.parse(`${to}T12:00:00Z`) + DAY).toISOString().slice(0, 10);
  return { from: from ? startOfRomeDay(from) : undefined, to: next ? startOfRomeDay(next) : undefined };
}

/**
 * The open-debts file speaks PontePA's native layout: its columns from id_esterno to
 * numero_avviso, named and ordered as the import reads them, then two the import does not take.
 * Taken from the import's own column list so the two cannot drift apart.
 */
export const OPEN_DEBTS_HEADER: readonly string[] = [
  ...NATIVE_COLUMNS.slice(NATIVE_COLUMNS.indexOf("id_esterno"), NATIVE_COLUMNS.indexOf("numero_avviso") + 1),
  "iuv",
  "stato_posizione",
];

const openLine = (o: OpenOptionRow, xlsx: boolean): Cell[] => [
  o.externalId ?? "",
  o.paymentTypeCode ?? "",
  o.debtorType,
  o.debtorFiscalCode,
  o.debtorName,
  o.debtorEmail ?? "",
  o.debtorAddress ?? "",
  o.debtorPostalCode ?? "",
  o.debtorCity ?? "",
  o.debtorProvince ?? "",
  o.subject,
  o.installmentNumber === null ? "" : String(o.installmentNumber),
  xlsx ? o.amountCents / 100 : euroDot(o.amountCents).replace(".", ","),
  romeDay(o.dueDate),
  o.nav,
  o.iuv,
  o.positionStatus,
];

function tableOf(db: Database, tenantId: string, request: ExportRequest): Table {
  const xlsx = request.format === "xlsx";
  if (request.kind === "open") {
    const due = romePeriod(request.from, request.to);
    return {
      header: OPEN_DEBTS_HEADER,
      delimiter: ";",
      sheet: "Posizioni aperte",
      rows: (async function* () {
        for await (const page of openOptionPages(db, tenantId, due)) for (const o of page) yield openLine(o, xlsx);
      })(),
    };
  }
  const layout = PAID_LAYOUTS[request.layout as PaidLayout];
  const period = romePeriod(request.from, request.to) as { from: Date; to: Date };
  return {
    header: layout.header,
    delimiter: layout.delimiter,
    sheet: "Pagamenti",
    rows: (async function* () {
      for await (const page of paidReceiptPages(db, tenantId, period))
        for (const r of page) yield* layout.lines(r, xlsx);
    })(),
  };
}

/** The export's file name: `pagati-<ipa>-<dal>-<al>[-mypay|-govpay].csv`, `aperti-<ipa>-<date>.xlsx`. */
export function exportFileName(ipaCode: string, request: ExportRequest, today = romeDay(new Date())): string {
  const ext = request.format;
  if (request.kind === "open")
    return `aperti-${ipaCode}-${today}${request.from ? `-scadenza-${request.from}-${request.to ?? ""}` : ""}.${ext}`;
  return `pagati-${ipaCode}-${request.from}-${request.to}${request.layout === "native" ? "" : `-${request.layout}`}.${ext}`;
}

export const exportContentType = (request: ExportRequest) => CONTENT_TYPES[request.format];

/**
 * Writes the export to `out` as the database pages come (keyset pages; CSV or XLSX streaming
 * writer): a year of a large council's payments never sits in memory.
 */
export function writeExport(db: Database, tenantId: string, request: ExportRequest, out: Writable): Promise<void> {
  return writeTable(tableOf(db, tenantId, request), request.format as ExportFormat, out);
}
