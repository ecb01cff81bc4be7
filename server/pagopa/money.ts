import type { Cents } from "./brands.ts";
import { PagopaFormatError } from "./errors.ts";

/** The largest amount pagoPA accepts: 999,999,999.99 EUR. */
export const MAX_PAGOPA_CENTS = 99_999_999_999;

/** Asserts a non-negative safe integer amount in cents. */
export function toCents(value: number): Cents {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new PagopaFormatError("INVALID_AMOUNT", `Not an amount in cents: ${value}`);
  return value as Cents;
}

/**
 * Parses a euro amount as people type it ("1.020,99", "1020,99", "1020.99", "12") into cents,
 * exactly (digit strings, never floating point).
 * @throws PagopaFormatError INVALID_AMOUNT
 */
export function parseEuroToCents(text: string): Cents {
  const t = text.trim().replace(/\s|€/g, "");
  let units: string;
  let decimals = "";
  const italian = /^(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{1,2}))?$/.exec(t);
  const dotted = /^(\d+)\.(\d{1,2})$/.exec(t);
  if (italian) {
    units = italian[1]!.replace(/\./g, "");
    decimals = italian[2] ?? "";
  } else if (dotted) {
    units = dotted[1]!;
    decimals = dotted[2]!;
  } else {
    throw new PagopaFormatError("INVALID_AMOUNT", `Not an amount: ${text}`);
  }
  const cents = Number(units) * 100 + Number(decimals.padEnd(2, "0"));
  if (!Number.isSafeInteger(cents) || cents > MAX_PAGOPA_CENTS)
    throw new PagopaFormatError("INVALID_AMOUNT", "The amount is too large");
  return cents as Cents;
}

/** 102099 → "1.020,99" (Italian grouping, always two decimals). */
export function formatCentsIt(cents: number): string {
  const value = toCents(cents);
  const units = Math.floor(value / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  return `${units},${String(value % 100).padStart(2, "0")}`;
}

const dateFmt = new Intl.DateTimeFormat("it-IT", {
  timeZone: "Europe/Rome",
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
});
const timeFmt = new Intl.DateTimeFormat("it-IT", {
  timeZone: "Europe/Rome",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/** dd/mm/yyyy in Europe/Rome. */
export function formatDateIt(date: Date): string {
  return dateFmt.format(date);
}

/** dd/mm/yyyy HH:MM in Europe/Rome. */
export function formatDateTimeIt(date: Date): string {
  return `${dateFmt.format(date)} ${timeFmt.format(date)}`;
}

/** The first millisecond of a calendar day ("2026-03-29") in Europe/Rome, as a UTC instant. */
export function startOfRomeDay(isoDate: string): Date {
  endOfRomeDay(isoDate); // validates the date
  const [y, m, d] = isoDate.split("-").map(Number) as [number, number, number];
  // One millisecond after the previous day ends: right on DST days too (23 or 25 hours long).
  const previous = new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10);
  return new Date(endOfRomeDay(previous).getTime() + 1);
}

// Made once: building an Intl.DateTimeFormat costs far more than using one (the API converts
// every due date of every position it creates through here).
const offsetFmt = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Rome", timeZoneName: "longOffset" });

/**
 * The last millisecond of a calendar day in Europe/Rome, as a UTC instant: a due date typed as
 * "2026-12-31" at the counter means "payable until the end of that day in Italy", in winter
 * and in summer time alike.
 */
export function endOfRomeDay(isoDate: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!m) throw new RangeError(`not an ISO date: ${isoDate}`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]) - 1, Number(m[3])];
  const probe = new Date(Date.UTC(y, mo, d, 23, 0, 0));
  const name = offsetFmt.formatToParts(probe).find((p) => p.type === "timeZoneName")!.value;
  const off = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  const offsetMs = off ? (off[1] === "-" ? -1 : 1) * (Number(off[2]) * 60 + Number(off[3])) * 60_000 : 0;
  if (new Date(Date.UTC(y, mo, d)).getUTCDate() !== d) throw new RangeError(`not a calendar date: ${isoDate}`);
  return new Date(Date.UTC(y, mo, d, 23, 59, 59, 999) - offsetMs);
}
