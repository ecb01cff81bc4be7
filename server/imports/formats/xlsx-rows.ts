import ExcelJS from "exceljs";
import type { CsvRow } from "./csv-rows.ts";

/** A cell as the text a CSV would have held (dates as yyyy-mm-dd, numbers with a dot). */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === "object") {
    const v = value as { text?: unknown; result?: unknown; richText?: Array<{ text: string }> };
    if (v.richText) return v.richText.map((t) => t.text).join("");
    if (v.result !== undefined) return cellText(v.result);
    if (v.text !== undefined) return cellText(v.text);
    return "";
  }
  return String(value);
}

/**
 * The first sheet of an XLSX, row by row, with ExcelJS's streaming reader: shared strings are
 * cached (they are the workbook's dictionary) but rows are never held together, so a sheet of
 * a million rows costs the memory of one. The caller checked the archive (zip.ts) first.
 */
export async function* xlsxRows(path: string): AsyncGenerator<CsvRow> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
    sharedStrings: "cache",
    hyperlinks: "ignore",
    styles: "cache",
    worksheets: "emit",
    entries: "ignore",
  });
  for await (const sheet of reader) {
    for await (const row of sheet) {
      const values = (row.values as unknown[]).slice(1);
      yield { rowNumber: row.number, cells: Array.from(values, cellText) };
    }
    // Only the first sheet is the layout; the template's second sheet explains the columns.
    break;
  }
}
