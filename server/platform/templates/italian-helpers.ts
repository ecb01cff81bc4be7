import type { HelperDelegate } from "handlebars";
import { formatCentsIt, formatDateIt, formatDateTimeIt, formatNavForPrint } from "../../pagopa/index.ts";

/**
 * Helpers for documents a citizen reads: Italian number and date formats, Europe/Rome time.
 * They are strict on purpose: a missing amount or date in a payment notice is a bug, so the
 * render fails instead of printing an empty field on paper that goes to a postal printer.
 */
export const italianHelpers: Record<string, HelperDelegate> = {
  /** 102099 → "1.020,99" */
  cents(value: unknown) {
    if (typeof value !== "number") throw new TypeError(`cents: not an amount: ${String(value)}`);
    return formatCentsIt(value);
  },
  /** Date → "dd/mm/yyyy" in Europe/Rome. */
  date(value: unknown) {
    if (!(value instanceof Date)) throw new TypeError(`date: not a date: ${String(value)}`);
    return formatDateIt(value);
  },
  /** Date → "dd/mm/yyyy HH:MM" in Europe/Rome. */
  dateTime(value: unknown) {
    if (!(value instanceof Date)) throw new TypeError(`dateTime: not a date: ${String(value)}`);
    return formatDateTimeIt(value);
  },
  /** 18-digit NAV → "3020 0000 0000 0001 84" (groups of four, as the notice guide prints it). */
  nav(value: unknown) {
    if (typeof value !== "string") throw new TypeError(`nav: not a notice number: ${String(value)}`);
    return formatNavForPrint(value);
  },
  upper(value: unknown) {
    return typeof value === "string" ? value.toUpperCase() : "";
  },
  eq(a: unknown, b: unknown) {
    return a === b;
  },
};
