import { endOfRomeDay, isValidFiscalCode, isValidIban, parseEuroToCents } from "../pagopa/index.ts";
import { RowError } from "./record.ts";

/**
 * Field readers shared by the formats. Each throws RowError with the file's own column name and
 * an Italian message, so the outcome file tells the council exactly what to fix.
 * Codes (cod_rifiuto): CAMPO_OBBLIGATORIO, CAMPO_TROPPO_LUNGO, FORMATO_NON_VALIDO,
 * IMPORTO_NON_VALIDO, DATA_NON_VALIDA, CODICE_FISCALE_NON_VALIDO, NUMERO_CAMPI, ...
 */
export type Cells = (column: string) => string;

export function text(value: string | undefined, column: string, max: number, required = false): string | undefined {
  const v = (value ?? "").trim();
  if (!v) {
    if (required) throw new RowError("CAMPO_OBBLIGATORIO", column, `${column}: campo obbligatorio`);
    return undefined;
  }
  if (v.length > max)
    throw new RowError("CAMPO_TROPPO_LUNGO", column, `${column}: al massimo ${max} caratteri (sono ${v.length})`);
  return v;
}

export function requiredText(value: string | undefined, column: string, max: number): string {
  return text(value, column, max, true)!;
}

/** "123.45" as MyPay and GovPay write amounts: a dot and at most two decimals. */
export function dottedAmount(value: string | undefined, column: string, allowZero = false): number {
  const v = requiredText(value, column, 15);
  const m = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(v);
  if (!m) throw new RowError("IMPORTO_NON_VALIDO", column, `${column}: importo non valido «${v}» (es. 123.45)`);
  const cents = Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
  if (!allowZero && cents === 0)
    throw new RowError("IMPORTO_NON_VALIDO", column, `${column}: l'importo deve essere maggiore di zero`);
  if (cents > 2_147_483_647) throw new RowError("IMPORTO_NON_VALIDO", column, `${column}: importo troppo alto`);
  return cents;
}

/** Euro as people type them in a spreadsheet ("1.020,99", "1020.99", 1020.99 as a number cell). */
export function euroAmount(value: string | undefined, column: string): number {
  const v = requiredText(value, column, 20);
  try {
    const cents = parseEuroToCents(v);
    if (cents <= 0) throw new Error("zero");
    if (cents > 2_147_483_647) throw new Error("too large");
    return cents;
  } catch {
    throw new RowError("IMPORTO_NON_VALIDO", column, `${column}: importo non valido «${v}» (es. 1020,99)`);
  }
}

/** Due dates repeat across a file (a TARI run has a handful): the Rome time-zone math once each. */
const endOfDayCache = new Map<string, Date>();
function endOfDay(iso: string): Date {
  let at = endOfDayCache.get(iso);
  if (!at) {
    if (endOfDayCache.size > 10_000) endOfDayCache.clear();
    at = endOfRomeDay(iso);
    endOfDayCache.set(iso, at);
  }
  return new Date(at.getTime());
}

/** yyyy-MM-dd (also dd/MM/yyyy when `italian`): the end of that day in Rome, as a due date means. */
export function dueDate(value: string | undefined, column: string, italian = false): Date {
  const v = requiredText(value, column, 10);
  let iso = v;
  const it = italian ? /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(v) : null;
  if (it) iso = `${it[3]}-${it[2]}-${it[1]}`;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  const probe = m ? new Date(`${iso}T12:00:00Z`) : null;
  if (!m || !probe || Number.isNaN(probe.getTime()) || probe.toISOString().slice(0, 10) !== iso)
    throw new RowError(
      "DATA_NON_VALIDA",
      column,
      `${column}: data non valida «${v}» (${italian ? "aaaa-mm-gg o gg/mm/aaaa" : "aaaa-mm-gg"})`,
    );
  return endOfDay(iso);
}

export function debtorType(value: string | undefined, column: string): "F" | "G" {
  const v = requiredText(value, column, 1).toUpperCase();
  if (v !== "F" && v !== "G") throw new RowError("FORMATO_NON_VALIDO", column, `${column}: F (persona) o G (società)`);
  return v;
}

/** A fiscal code or VAT number; MyPay's ANONIMO too. */
export function fiscalCode(value: string | undefined, column: string): string {
  const v = requiredText(value, column, 35).toUpperCase();
  if (v !== "ANONIMO" && !isValidFiscalCode(v))
    throw new RowError(
      "CODICE_FISCALE_NON_VALIDO",
      column,
      `${column}: codice fiscale o partita IVA non valido «${v}»`,
    );
  return v;
}

export function email(value: string | undefined, column: string): string | undefined {
  const v = text(value, column, 254);
  if (v && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v))
    throw new RowError("FORMATO_NON_VALIDO", column, `${column}: indirizzo e-mail non valido`);
  return v;
}

export function iban(value: string | undefined, column: string, required = false): string | undefined {
  const v = text(value, column, 40, required)?.replace(/\s+/g, "").toUpperCase();
  if (v && !isValidIban(v)) throw new RowError("FORMATO_NON_VALIDO", column, `${column}: IBAN non valido`);
  return v;
}

export function province(value: string | undefined, column: string): string | undefined {
  const v = text(value, column, 2)?.toUpperCase();
  if (v && !/^[A-Z]{2}$/.test(v)) throw new RowError("FORMATO_NON_VALIDO", column, `${column}: sigla di due lettere`);
  return v;
}

export function flag(value: string | undefined, column: string, fallback: boolean): boolean {
  const v = (value ?? "").trim().toLowerCase();
  if (!v) return fallback;
  if (v === "true" || v === "1" || v === "si" || v === "sì") return true;
  if (v === "false" || v === "0" || v === "no") return false;
  throw new RowError("FORMATO_NON_VALIDO", column, `${column}: true o false`);
}
