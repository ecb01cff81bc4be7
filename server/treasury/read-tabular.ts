import * as XLSX from "@e965/xlsx";
import {
  amountToCents,
  flowIdInDescription,
  isoDay,
  TreasuryFormatError,
  type TreasuryCreditData,
  type TreasuryDocument,
} from "./treasury-document.ts";

interface Layout {
  name: string;
  /** Every header the layout must have (matched by name, in any order, case and blanks ignored). */
  headers: string[];
  valueDate: string;
  bookingDate?: string;
  amount?: string;
  amountCents?: string;
  sign?: string;
  description: string;
  reference?: string;
}

/**
 * The tabular layouts treasurers and banks export: the bank statement of p4pa-payhub's
 * TreasuryXls (columns ABI ... DESCRIZIONE ESTESA, the flow id in the extended description), and
 * the giornale di cassa CSV the simulator writes (one credit per flow, amount in cents).
 */
const LAYOUTS: Layout[] = [
  {
    name: "bank statement",
    headers: [
      "ABI",
      "CAB",
      "CONTO",
      "DIVISA",
      "DATA CONTABILE",
      "DATA VALUTA",
      "IMPORTO",
      "SEGNO",
      "CAUSALE",
      "NUM. ASSEGNO",
      "RIF. BANCA",
      "RIF. CLIENTE",
      "DESCRIZIONE",
      "DESCRIZIONE ESTESA",
    ],
    valueDate: "DATA VALUTA",
    bookingDate: "DATA CONTABILE",
    amount: "IMPORTO",
    sign: "SEGNO",
    description: "DESCRIZIONE ESTESA",
    reference: "RIF. BANCA",
  },
  {
    name: "giornale di cassa",
    headers: ["DATA_VALUTA", "IMPORTO_CENTESIMI", "CAUSALE"],
    valueDate: "DATA_VALUTA",
    amountCents: "IMPORTO_CENTESIMI",
    description: "CAUSALE",
    reference: "TRN",
  },
];

const norm = (h: unknown) =>
  String(h ?? "")
    .trim()
    .replace(/\s+/g, " ")
    .toUpperCase();
const empty = (v: unknown) => v === null || v === undefined || String(v).trim() === "";

/** A spreadsheet date: a serial number (Excel's day count) or text. */
function dayOf(v: unknown): string | null {
  if (typeof v === "number") {
    const d = XLSX.SSF.parse_date_code(v);
    return d ? `${d.y}-${String(d.m).padStart(2, "0")}-${String(d.d).padStart(2, "0")}` : null;
  }
  return isoDay(v);
}

/**
 * Maps rows of cells to credits by header names (the columns may come in any order). The first
 * non-empty row must be the headers: a file whose headers are missing or incomplete is refused
 * naming what is missing; a row with an error is listed and the others are kept; empty rows are
 * skipped; a debit (sign "-") is kept with a negative amount.
 */
export function readTable(rows: unknown[][], format: string): TreasuryDocument {
  const first = rows.findIndex((r) => r.some((c) => !empty(c)));
  if (first < 0) throw new TreasuryFormatError("Header non trovati: the file has no rows");
  const header = rows[first]!.map(norm);
  const scored = LAYOUTS.map((l) => ({ l, missing: l.headers.filter((h) => !header.includes(h)) })).sort(
    (a, b) => a.missing.length / a.l.headers.length - b.missing.length / b.l.headers.length,
  );
  const best = scored[0]!;
  if (best.missing.length === best.l.headers.length)
    throw new TreasuryFormatError(
      `Header mancanti: the first row holds no known column names (${header.slice(0, 4).join(", ")}...)`,
    );
  if (best.missing.length)
    throw new TreasuryFormatError(`Header mancanti for the ${best.l.name} layout: ${best.missing.join(", ")}`);
  const l = best.l;
  const col = (name?: string) => (name ? header.indexOf(name) : -1);
  const at = (r: unknown[], name?: string) => (col(name) >= 0 ? r[col(name)] : undefined);

  const credits: TreasuryCreditData[] = [];
  const rowErrors: TreasuryDocument["rowErrors"] = [];
  rows.slice(first + 1).forEach((r, i) => {
    const row = first + i + 2; // 1-based, as the spreadsheet shows it
    if (r.every(empty)) return;
    const problems: string[] = [];
    const valueDate = dayOf(at(r, l.valueDate));
    if (empty(at(r, l.valueDate))) problems.push(`${l.valueDate} is empty`);
    else if (!valueDate) problems.push(`${l.valueDate} "${String(at(r, l.valueDate))}" is not a date`);
    if (l.bookingDate) {
      const booking = at(r, l.bookingDate);
      if (empty(booking)) problems.push(`${l.bookingDate} is empty`);
      else if (!dayOf(booking)) problems.push(`${l.bookingDate} "${String(booking)}" is not a date`);
    }
    const rawAmount = at(r, l.amount ?? l.amountCents);
    const cents = empty(rawAmount)
      ? null
      : l.amountCents
        ? /^\d+$/.test(String(rawAmount).trim())
          ? Number(String(rawAmount).trim())
          : null
        : amountToCents(rawAmount);
    if (empty(rawAmount)) problems.push(`${l.amount ?? l.amountCents} is empty`);
    else if (cents === null) problems.push(`${l.amount ?? l.amountCents} "${String(rawAmount)}" is not an amount`);
    const description = String(at(r, l.description) ?? "").trim();
    if (!description) problems.push(`${l.description} is empty`);
    if (problems.length) {
      rowErrors.push({ row, reason: problems.join("; ") });
      return;
    }
    // A debit naming a flow is the bank reversing (part of) that flow's credit: kept, negative.
    const debit = l.sign !== undefined && String(at(r, l.sign) ?? "").trim() === "-";
    const reference = at(r, l.reference);
    credits.push({
      valueDate: valueDate!,
      amountCents: debit ? -cents! : cents!,
      description,
      flowId: flowIdInDescription(description),
      bankReference: empty(reference) ? null : String(reference).trim(),
    });
  });
  return { format, credits, rowErrors };
}

/** An Excel workbook (.xls BIFF or .xlsx): the first sheet, as the bank exports it. */
export function readSpreadsheet(bytes: Buffer): TreasuryDocument {
  let wb: XLSX.WorkBook;
  try {
    wb = XLSX.read(bytes, { type: "buffer", cellDates: false });
  } catch (err) {
    throw new TreasuryFormatError(`not a readable spreadsheet: ${(err as Error).message}`);
  }
  const sheet = wb.SheetNames[0] ? wb.Sheets[wb.SheetNames[0]] : undefined;
  if (!sheet) throw new TreasuryFormatError("Header non trovati: the workbook has no sheet");
  const rows = XLSX.utils.sheet_to_json<unknown[]>(sheet, { header: 1, raw: true, defval: null, blankrows: true });
  return readTable(rows, bytes[0] === 0x50 ? "XLSX" : "XLS");
}

/** CSV with `;` or `,` separators and "quoted" cells (RFC 4180 quoting). */
export function readCsv(text: string): TreasuryDocument {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? "";
  const sep = (firstLine.match(/;/g)?.length ?? 0) >= (firstLine.match(/,/g)?.length ?? 0) ? ";" : ",";
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  const endCell = () => {
    row.push(cell);
    cell = "";
  };
  const endRow = () => {
    endCell();
    rows.push(row);
    row = [];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === sep) endCell();
    else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      endRow();
    } else cell += c;
  }
  if (cell || row.length) endRow();
  return readTable(rows, "CSV");
}
