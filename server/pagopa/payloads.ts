import { PagopaFormatError } from "./errors.ts";

/**
 * The QR code payload of a pagoPA notice (guide 3.5.1): `PAGOPA|002|<NAV>|<EC fiscal code>|<cents>`.
 */
export function noticeQrPayload(input: { nav: string; creditorFiscalCode: string; amountCents: number }): string {
  if (!/^\d{18}$/.test(input.nav)) throw new PagopaFormatError("INVALID_NAV", "A notice number has 18 digits");
  if (!/^\d{11}$/.test(input.creditorFiscalCode))
    throw new PagopaFormatError("INVALID_FISCAL_CODE", "The creditor's fiscal code has 11 digits");
  if (!Number.isSafeInteger(input.amountCents) || input.amountCents < 1)
    throw new PagopaFormatError("INVALID_AMOUNT", "The amount is a positive integer in cents");
  return `PAGOPA|002|${input.nav}|${input.creditorFiscalCode}|${input.amountCents}`;
}

/** Uppercase, ASCII-only (accents folded), padded with spaces or cut to `length`. */
function field(text: string, length: number): string {
  const ascii = text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^\x20-\x7E]/g, " ")
    .toUpperCase();
  return ascii.slice(0, length).padEnd(length, " ");
}

/**
 * The Poste Italiane DataMatrix payload printed on the postal bulletin of a notice: always
 * 256 characters.
 *  - `codfase=NBPA;` (13)
 *  - `18` + NAV (20), `12` + postal account, zero-padded to 12 (14), `10` + cents, 10 digits (12)
 *  - `3` (bulletin type), `896` (bulletin code), `1P1` (pagoPA phase)
 *  - creditor fiscal code (11), debtor fiscal code (16), debtor name (40), subject (110), each
 *    uppercase and space-padded; 12 spaces of filler; `A` (end marker)
 */
export function posteDataMatrixPayload(input: {
  nav: string;
  postalAccount: string;
  amountCents: number;
  creditorFiscalCode: string;
  debtorFiscalCode: string;
  debtorName: string;
  subject: string;
}): string {
  if (!/^\d{18}$/.test(input.nav)) throw new PagopaFormatError("INVALID_NAV", "A notice number has 18 digits");
  if (!/^\d{1,12}$/.test(input.postalAccount))
    throw new PagopaFormatError("INVALID_POSTAL_ACCOUNT", "A postal account has up to 12 digits");
  if (!Number.isSafeInteger(input.amountCents) || input.amountCents < 1 || input.amountCents > 9_999_999_999) {
    throw new PagopaFormatError("INVALID_AMOUNT", "The amount is a positive integer of at most 10 digits");
  }
  const payload =
    "codfase=NBPA;" +
    `18${input.nav}` +
    `12${input.postalAccount.padStart(12, "0")}` +
    `10${String(input.amountCents).padStart(10, "0")}` +
    "3" +
    "896" +
    "1P1" +
    field(input.creditorFiscalCode, 11) +
    field(input.debtorFiscalCode, 16) +
    field(input.debtorName, 40) +
    field(input.subject, 110) +
    " ".repeat(12) +
    "A";
  return payload;
}
