import { Readable, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { stringify } from "csv-stringify";
import ExcelJS from "exceljs";

export type ExportFormat = "csv" | "xlsx";
/** A cell: text, a number (an amount in euro in XLSX, where spreadsheets should sum it), or empty. */
export type Cell = string | number | null;

export interface Table {
  header: readonly string[];
  /** CSV separator of the layout (`;` native and MyPay, `,` GovPay). */
  delimiter: ";" | ",";
  /** The rows, produced page by page (never a whole period in memory). */
  rows: AsyncIterable<Cell[]>;
  /** The XLSX sheet's name. */
  sheet: string;
  /** Columns (0-based) shown with a euro number format in XLSX; none: no styles at all. */
  euroColumns?: readonly number[];
}

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

/**
 * Writes a table to `out` as it is produced: CSV through csv-stringify (CRLF, the layout's
 * separator), XLSX through ExcelJS's streaming writer (each row committed as soon as it is
 * added, so memory stays flat whatever the period). Resolves when `out` has everything.
 */
export async function writeTable(table: Table, format: ExportFormat, out: Writable): Promise<void> {
  if (format === "csv") {
    async function* all() {
      yield [...table.header];
      yield* table.rows;
    }
    await pipeline(Readable.from(all()), stringify({ delimiter: table.delimiter, record_delimiter: "windows" }), out);
    return;
  }
  const euro = table.euroColumns ?? [];
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: euro.length > 0,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet(table.sheet);
  if (euro.length > 0)
    sheet.columns = table.header.map((h, i) => ({
      header: h,
      key: String(i),
      width: Math.max(12, h.length + 2),
      style: euro.includes(i) ? { numFmt: "#,##0.00" } : {},
    }));
  else sheet.addRow([...table.header]).commit();
  for await (const row of table.rows) sheet.addRow(row).commit();
  sheet.commit();
  await workbook.commit();
}
