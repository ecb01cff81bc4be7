import { Readable } from "node:stream";
import { stringify } from "csv-stringify";
import type { Database } from "../platform/db/database.ts";
import { AppError } from "../platform/errors.ts";
import type { ImportRow } from "../generated/prisma/client.ts";
import { GOVPAY_ECHO } from "./formats/govpay-csv.ts";

/**
 * The outcome of an import in the layout its council's system reads back:
 * - `mypay-scarti`: MyPay's `<file>_SCARTI.csv`, only the rejected rows, `;`, ending in
 *   cod_rifiuto;de_rifiuto;
 * - `mypay-esito`: every row with the IUV and notice number assigned (`<file>_ESITO.csv`);
 * - `govpay`: GovPay's esito of a CSV tracciato (the header GovPay's own tests expect), the
 *   payer echoed from the row, numeroAvviso of accepted rows, errore of rejected ones;
 * - `native`: our own, every row with NAV, IUV or the column and message of its reject.
 * Streamed by keyset pages of import_rows: an outcome of a million rows never sits in memory.
 */
export type OutcomeLayout = "mypay-scarti" | "mypay-esito" | "govpay" | "native";

const PAGE = 2_000;

export const OUTCOME_LAYOUTS: Record<OutcomeLayout, { suffix: string; delimiter: string; header: string[] }> = {
  "mypay-scarti": { suffix: "_SCARTI.csv", delimiter: ";", header: ["IUD", "riga", "cod_rifiuto", "de_rifiuto"] },
  "mypay-esito": {
    suffix: "_ESITO.csv",
    delimiter: ";",
    header: ["IUD", "riga", "azione", "esito", "codIuv", "numeroAvviso", "cod_rifiuto", "de_rifiuto"],
  },
  govpay: {
    suffix: "-esito.csv",
    delimiter: ",",
    header: [...GOVPAY_ECHO.slice(0, 4), "numeroAvviso", "pdfAvviso", ...GOVPAY_ECHO.slice(4), "errore"],
  },
  native: {
    suffix: "-esito.csv",
    delimiter: ";",
    header: ["riga", "id_esterno", "azione", "esito", "numero_avviso", "iuv", "colonna", "codice_errore", "messaggio"],
  },
};

function line(layout: OutcomeLayout, r: ImportRow): string[] | null {
  const ok = r.outcome === "ACCEPTED";
  const echo = (r.echo ?? {}) as Record<string, string>;
  switch (layout) {
    case "mypay-scarti":
      return ok ? null : [r.key ?? "", String(r.rowNumber), r.errorCode ?? "", r.message ?? ""];
    case "mypay-esito":
      return [
        r.key ?? "",
        String(r.rowNumber),
        r.action,
        ok ? "OK" : "KO",
        r.iuv ?? "",
        r.nav ?? "",
        r.errorCode ?? "",
        r.message ?? "",
      ];
    case "govpay":
      return [
        ...GOVPAY_ECHO.slice(0, 4).map((c) => echo[c] ?? ""),
        r.nav ?? "",
        "",
        ...GOVPAY_ECHO.slice(4).map((c) => echo[c] ?? ""),
        ok ? "" : `${r.errorCode}: ${r.message}`,
      ];
    case "native":
      return [
        String(r.rowNumber),
        r.key ?? "",
        r.action,
        ok ? "accettata" : "scartata",
        r.nav ?? "",
        r.iuv ?? "",
        r.column ?? "",
        r.errorCode ?? "",
        r.message ?? "",
      ];
  }
}

/** The layouts that fit an import's format (the first is its own). */
export function layoutsFor(format: string): OutcomeLayout[] {
  if (format === "MYPAY") return ["mypay-scarti", "mypay-esito", "native"];
  if (format === "GOVPAY") return ["govpay", "native"];
  return ["native"];
}

/** The outcome file's name: MyPay appends _SCARTI to the flow's own name. */
export function outcomeFileName(fileName: string, layout: OutcomeLayout): string {
  return fileName.replace(/\.(zip|csv|xlsx|txt)$/i, "") + OUTCOME_LAYOUTS[layout].suffix;
}

export async function outcomeStream(
  db: Database,
  tenantId: string,
  importId: string,
  layout: OutcomeLayout,
): Promise<Readable> {
  const file = await db.withTenant(tenantId, (tx) =>
    tx.importFile.findUnique({ where: { tenantId_id: { tenantId, id: importId } } }),
  );
  if (!file) throw new AppError("NOT_FOUND", "Import non trovato", 404);
  const spec = OUTCOME_LAYOUTS[layout];
  async function* rows() {
    yield spec.header;
    let after = 0;
    for (;;) {
      const page = await db.withTenant(tenantId, (tx) =>
        tx.importRow.findMany({
          where: { tenantId, importId, rowNumber: { gt: after } },
          orderBy: { rowNumber: "asc" },
          take: PAGE,
        }),
      );
      for (const r of page) {
        const l = line(layout, r);
        if (l) yield l;
      }
      if (page.length < PAGE) return;
      after = page[page.length - 1]!.rowNumber;
    }
  }
  return Readable.from(rows()).pipe(
    stringify({ delimiter: spec.delimiter, bom: false, record_delimiter: layout === "govpay" ? "unix" : "windows" }),
  );
}
