/**
 * What a reporting-flow reader returns, whatever the format it was written in: FdR 1
 * (FlussoRiversamento XML, bare or inside a nodeForPa SOAP answer) or FdR 3 (REST JSON).
 */

/** Row outcome codes (codiceEsitoSingoloPagamento; FdR 3 payStatus mapped onto them). */
export const OUTCOME_CODES = { EXECUTED: 0, REVOKED: 3, STAND_IN: 4, STAND_IN_NO_RPT: 8, NO_RPT: 9 } as const;
export type OutcomeCode = (typeof OUTCOME_CODES)[keyof typeof OUTCOME_CODES];
export const KNOWN_OUTCOME_CODES: readonly number[] = Object.values(OUTCOME_CODES);

export interface ReportingRowData {
  /** 1-based position of the row in its flow (FdR 3 `index`). */
  position: number;
  iuv: string;
  /** Identificativo univoco di riscossione: the receipt id the PSP gave the payment. */
  iur: string;
  transferIndex: number;
  amountCents: number;
  outcomeCode: OutcomeCode;
  /** YYYY-MM-DD */
  outcomeDate: string;
}

export interface ReportingFlowHeader {
  /** Detected format, e.g. "FDR1 FlussoRiversamento 1.0" or "FDR3". */
  format: string;
  flowId: string;
  pspId: string;
  revision: number;
  flowDate: Date;
  settlementId: string;
  /** YYYY-MM-DD */
  settlementDate: string;
  receiverFiscalCode: string;
  declaredCount: number;
  declaredTotalCents: number;
}

export interface ReportingFlowData extends ReportingFlowHeader {
  rows: ReportingRowData[];
  /** Facts a person should know but that do not make the flow unreadable (totals that differ). */
  warnings: string[];
}

export interface ListedFlow {
  flowId: string;
  pspId: string | null;
  revision: number;
  flowDate: Date | null;
}

export type ReportingDocument =
  | { kind: "flow"; flow: ReportingFlowData }
  | { kind: "flow-header"; header: ReportingFlowHeader }
  | { kind: "payments"; rows: ReportingRowData[]; page: { number: number; total: number } | null }
  | { kind: "flow-list"; flows: ListedFlow[] }
  | { kind: "refused"; reason: string };

/** Thrown inside readers; turned into `{ kind: "refused", reason }` at their edge. */
export class ReportingFormatError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = "ReportingFormatError";
  }
}

/** "999.00" / "12.3" / "10" → cents, exactly (string digits, never floating point). */
export function decimalTextToCents(text: string, what: string): number {
  const m = /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) throw new ReportingFormatError(`${what}: "${text}" is not an amount with at most two decimals`);
  return Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
}

/** A JSON number of euros (FdR 3 `pay`, `sumPayments`) → cents; refuses sub-cent values. */
export function euroNumberToCents(value: number, what: string): number {
  const cents = Math.round(value * 100);
  if (!Number.isFinite(value) || value < 0 || Math.abs(value * 100 - cents) > 1e-6)
    throw new ReportingFormatError(`${what}: ${value} is not an amount in euro cents`);
  return cents;
}

/** The calendar day in Rome of an instant (settlement dates given as instants by FdR 3). */
export function romeDay(instant: Date): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Rome" }).format(instant);
}

/** Placeholders of templates ("{idflusso}", "%s", "{{x}}"): a template is not a flow. */
export function placeholderIn(text: string): string | null {
  return /\{\{?[a-zA-Z_]+\}?\}|%s/.exec(text)?.[0] ?? null;
}

/** A zone-less "YYYY-MM-DDThh:mm:ss" written in Italian time (as the Nodo does) → the instant. */
export function romeLocalToInstant(local: string): Date {
  const asUtc = new Date(`${local.slice(0, 19)}Z`);
  const offsetAt = (d: Date) => {
    const parts = new Intl.DateTimeFormat("en-US", { timeZone: "Europe/Rome", timeZoneName: "shortOffset" })
      .formatToParts(d)
      .find((p) => p.type === "timeZoneName")!.value; // "GMT+1" / "GMT+2"
    return Number(/GMT([+-]\d+)/.exec(parts)?.[1] ?? 0) * 3_600_000;
  };
  return new Date(asUtc.getTime() - offsetAt(new Date(asUtc.getTime() - offsetAt(asUtc))));
}
