/**
 * What every import format is read into: records, each the unit applied or rejected entirely.
 * Most records are one source row; a GovPay document (idDocumento) or a native debt with
 * installments spans consecutive rows, which then share one outcome.
 */
export type ImportAction = "insert" | "update" | "cancel" | "upsert";

/** Why a record is refused: the first problem found, with the column as the file names it. */
export interface RowIssue {
  code: string;
  column?: string;
  message: string;
}

export interface SourceRow {
  rowNumber: number;
  /** The council's key of this row (IUD, idPendenza, external id). */
  key?: string;
  /** Fields the outcome layout repeats (GovPay's esito echoes the payer). */
  echo?: Record<string, string>;
}

/** A transfer; without an IBAN or stamp it takes the payment type's accounts and shares. */
export interface TransferDraft {
  amountCents: number;
  iban?: string;
  beneficiaryFiscalCode?: string;
  remittanceText?: string;
  /** Else the payment type's. */
  taxonomyCode?: string;
  stamp?: { type: string; documentHash: string; province: string };
  metadata?: Array<{ key: string; value: string }>;
  /** Budget split (MyPay `bilancio`): chapter, office, assessment, amount; they add up to amountCents. */
  accountingLines?: Array<{ budgetChapter: string; office?: string; assessment?: string; amountCents: number }>;
}

export interface OptionDraft {
  kind: "SINGLE" | "INSTALLMENT";
  /** The source row this option came from (its NAV goes on that row of the outcome). */
  rowNumber: number;
  amountCents: number;
  dueDate: Date;
  description?: string;
  /** A notice number the council already issued. */
  nav?: string;
  transfers: TransferDraft[];
}

export interface PositionDraft {
  paymentTypeCode?: string;
  debtor: {
    type: "F" | "G";
    fiscalCode: string;
    name: string;
    email?: string;
    address?: string;
    city?: string;
    postalCode?: string;
    province?: string;
  };
  subject: string;
  options: OptionDraft[];
  /** Kept with the position for notices and exports (MyPay bilancio, GovPay document...). */
  data: Record<string, unknown>;
}

export interface ImportRecord {
  rows: SourceRow[];
  action: ImportAction;
  /** The position's external id. */
  key: string;
  /** Other keys this record answers to (a GovPay document's idPendenza of each row). */
  altKeys?: string[];
  /** Set when the file itself makes the record invalid; nothing is applied then. */
  issue?: RowIssue;
  position?: PositionDraft;
  /** The column each kind of problem is reported under, in the file's own names. */
  columns: { key: string; paymentType: string; amount: string; nav: string; row: string };
}

export const lastRowOf = (r: ImportRecord): number => r.rows[r.rows.length - 1]!.rowNumber;

/** Thrown by a parser for a record-level problem; readers turn it into `issue`. */
export class RowError extends Error {
  constructor(
    readonly code: string,
    readonly column: string | undefined,
    message: string,
  ) {
    super(message);
  }
}
