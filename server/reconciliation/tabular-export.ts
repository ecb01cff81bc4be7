import { once } from "node:events";
import type { Writable } from "node:stream";
import { stringify } from "csv-stringify";
import ExcelJS from "exceljs";

export type Cell = string | number | null;
export type TabularFormat = "csv" | "xlsx";

/**
 * Writes a header and rows, produced page by page, as a `;` CSV (Windows line ends, what the
 * councils' spreadsheets open) or an XLSX sheet, streamed into `out`: a large export never sits
 * whole in memory. Numbers stay numbers in XLSX; `euroColumns` get a euro format there.
 */
export async function writeTabular(
  out: Writable,
  format: TabularFormat,
  sheetName: string,
  header: string[],
  rows: AsyncIterable<Cell[]>,
  euroColumns: number[] = [],
): Promise<void> {
  if (format === "csv") {
    const csv = stringify({ delimiter: ";", record_delimiter: "windows" });
    csv.pipe(out);
    csv.write(header);
    for await (const row of rows) if (!csv.write(row)) await once(csv, "drain");
    csv.end();
    await once(out, "finish");
    return;
  }
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
  const sheet = wb.addWorksheet(sheetName);
  sheet.columns = header.map((h, i) => ({
    header: h,
    key: String(i),
    width: Math.max(12, h.length + 2),
    style: euroColumns.includes(i) ? { numFmt: "#,##0.00" } : {},
  }));
  for await (const row of rows) sheet.addRow(row).commit();
  sheet.commit();
  await wb.commit();
}
