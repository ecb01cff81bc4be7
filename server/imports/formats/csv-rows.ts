import type { Readable } from "node:stream";
import { parse } from "csv-parse";

/** The most columns a row may have: a file wider than this is not one of ours. */
const MAX_COLUMNS = 200;

export interface CsvRow {
  /** The row's number as a spreadsheet shows it (the header is row 1). */
  rowNumber: number;
  cells: string[];
}

/**
 * Streams a CSV's records (header first) with csv-parse: quotes, doubled quotes and quoted line
 * breaks as RFC 4180 says, a BOM dropped, rows of any width (each format checks its own). Memory
 * stays bounded by one record: csv-parse's max_record_size refuses a runaway quoted field.
 */
export async function* csvRows(input: Readable, delimiter: "," | ";"): AsyncGenerator<CsvRow> {
  const parser = input.pipe(
    parse({
      delimiter,
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      max_record_size: 256 * 1024,
      info: true,
    }),
  );
  for await (const item of parser as AsyncIterable<{ record: string[]; info: { records: number } }>) {
    const cells = item.record.length > MAX_COLUMNS ? item.record.slice(0, MAX_COLUMNS + 1) : item.record;
    yield { rowNumber: item.info.records, cells };
  }
}
