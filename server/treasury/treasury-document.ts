/** What a treasury-journal reader returns, whatever the layout: the credits, and the rows it refused. */
export interface TreasuryCreditData {
  /** YYYY-MM-DD (data valuta, else data contabile / data movimento). */
  valueDate: string;
  /** Negative for a debit (a bank statement's reversal of a credit). */
  amountCents: number;
  description: string;
  /** The reporting flow named by /PUR/LGPE-RIVERSAMENTO/URI/<flow id>, when the credit is a PSP's transfer. */
  flowId: string | null;
  /** The bank's own reference of the movement, when the layout has one. */
  bankReference: string | null;
}

export interface TreasuryDocument {
  /** Detected layout and version, e.g. "OPI 1.4", "OPI 1.6.1+", "XLS", "CSV". */
  format: string;
  credits: TreasuryCreditData[];
  rowErrors: Array<{ row: number; reason: string }>;
}

/** Thrown when a whole file cannot be read (no headers, wrong schema...); rows with errors are listed instead. */
export class TreasuryFormatError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = "TreasuryFormatError";
  }
}

/**
 * The flow id a PSP's SEPA transfer carries in its remittance information. Banks wrap long
 * descriptions and insert spaces, so the id runs to the next blank or to a ":TAG:" of the
 * bank's own. Flow ids are at most 35 characters (FlussoRiversamento identificativoFlusso).
 */
export function flowIdInDescription(description: string): string | null {
  const m = /\/PUR\/LGPE-RIVERSAMENTO\/URI\/([^\s:/]{1,35})/i.exec(description);
  return m ? m[1]! : null;
}

/** "1234.56", "1.234,56", "1234,5", 12.34 → cents; null when it is not an amount. */
export function amountToCents(value: unknown): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? Math.round(value * 100) : null;
  if (typeof value !== "string") return null;
  const t = value.trim().replace(/\s|€/g, "");
  const it = /^(\d{1,3}(?:\.\d{3})+|\d+),(\d{1,2})$/.exec(t);
  if (it) return Number(it[1]!.replace(/\./g, "")) * 100 + Number(it[2]!.padEnd(2, "0"));
  const dot = /^(\d+)(?:\.(\d{1,2}))?$/.exec(t);
  if (dot) return Number(dot[1]) * 100 + Number((dot[2] ?? "").padEnd(2, "0"));
  return null;
}

/** "2024-07-21", "21/07/2024" → "2024-07-21"; null otherwise. */
export function isoDay(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const t = value.trim();
  const iso = /^(\d{4})-(\d{2})-(\d{2})/.exec(t);
  const it = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(t);
  const [y, m, d] = iso ? [iso[1], iso[2], iso[3]] : it ? [it[3], it[2], it[1]] : [];
  if (!y) return null;
  const date = new Date(`${y}-${m}-${d}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== `${y}-${m}-${d}` ? null : `${y}-${m}-${d}`;
}
