import { Readable } from "node:stream";
import { stringify } from "csv-stringify";
import { z } from "zod";
import type { Database } from "../platform/db/database.ts";
import { startOfRomeDay } from "../pagopa/index.ts";
import { paidReceiptPages, type PaidReceiptRow } from "../receipts/index.ts";

/** A period of Rome calendar days, both included, at most a year and a day. */
export const paidExportSchema = z
  .object({
    dal: z.iso.date("indica la data iniziale (aaaa-mm-gg)"),
    al: z.iso.date("indica la data finale (aaaa-mm-gg)"),
    tracciato: z.enum(["native", "mypay"]).default("native"),
  })
  .refine((p) => p.dal <= p.al, { message: "la data iniziale viene dopo la finale", path: ["al"] })
  .refine((p) => Date.parse(p.al) - Date.parse(p.dal) <= 366 * 86_400_000, {
    message: "al massimo un anno per volta",
    path: ["al"],
  });
export type PaidExport = z.output<typeof paidExportSchema>;

const euro = (cents: number) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
const rome = new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Rome" });

const LAYOUTS = {
  native: {
    header: [
      "id_esterno",
      "numero_avviso",
      "iuv",
      "tipo_dovuto",
      "codice_fiscale_debitore",
      "nominativo_debitore",
      "causale",
      "importo_pagato",
      "data_pagamento",
      "id_ricevuta",
      "psp",
    ],
    line: (r: PaidReceiptRow) => [
      r.externalId ?? "",
      r.nav,
      r.iuv,
      r.paymentTypeCode ?? "",
      r.debtorFiscalCode ?? "",
      r.debtorName ?? "",
      r.subject ?? "",
      euro(r.amountCents).replace(".", ","),
      r.paidAt.toISOString(),
      r.receiptId,
      r.pspName ?? r.pspId,
    ],
  },
  // MyPay's paid-debts export: its import layout 1.0 with dataEsecuzionePagamento and importoDovutoPagato.
  mypay: {
    header: [
      "IUD",
      "codIuv",
      "tipoIdentificativoUnivoco",
      "codiceIdentificativoUnivoco",
      "anagraficaPagatore",
      "indirizzoPagatore",
      "civicoPagatore",
      "capPagatore",
      "localitaPagatore",
      "provinciaPagatore",
      "nazionePagatore",
      "mailPagatore",
      "dataEsecuzionePagamento",
      "importoDovutoPagato",
      "commissioneCaricoPa",
      "tipoDovuto",
      "tipoVersamento",
      "causaleVersamento",
      "datiSpecificiRiscossione",
      "identificativoUnivocoRiscossione",
    ],
    line: (r: PaidReceiptRow) => [
      r.externalId ?? "",
      r.iuv,
      r.debtorType ?? "F",
      r.debtorFiscalCode ?? "",
      r.debtorName ?? "",
      "",
      "",
      "",
      "",
      "",
      "",
      "",
      rome.format(r.paidAt),
      euro(r.amountCents),
      "",
      r.paymentTypeCode ?? "",
      "ALL",
      r.subject ?? "",
      "",
      r.receiptId,
    ],
  },
} as const;

/**
 * The council's paid receipts of a period as a CSV stream (`;`): the native layout or MyPay's
 * paid layout, page by page from the database (receipts/paidReceiptPages).
 */
export function exportPaidReceipts(db: Database, tenantId: string, request: PaidExport): Readable {
  const layout = LAYOUTS[request.tracciato];
  // The end is the start of the day after `al` in Rome (DST-safe: that day's own start).
  const next = new Date(Date.parse(`${request.al}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  const period = { from: startOfRomeDay(request.dal), to: startOfRomeDay(next) };
  async function* lines() {
    yield [...layout.header];
    for await (const page of paidReceiptPages(db, tenantId, period)) for (const r of page) yield layout.line(r);
  }
  return Readable.from(lines()).pipe(stringify({ delimiter: ";", record_delimiter: "windows" }));
}
