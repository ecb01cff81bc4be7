import type { Iuv, Nav } from "./brands.ts";
import { PagopaFormatError } from "./errors.ts";

/** Largest IUV base: 13 digits. */
export const MAX_IUV_BASE = 9_999_999_999_999n;
/** Segregation codes pagoPA reserves; never assigned to a creditor. */
export const RESERVED_SEGREGATION_CODES: readonly string[] = ["99", "98", "97", "96", "85", "81", "47"];

const TWO_DIGITS = /^\d{2}$/;

/** True for two digits 00-49 that pagoPA does not reserve. */
export function isValidSegregationCode(code: string): boolean {
  return TWO_DIGITS.test(code) && Number(code) <= 49 && !RESERVED_SEGREGATION_CODES.includes(code);
}

/**
 * The two check digits of a NAV/IUV: (aux digit ‖ segregation code ‖ IUV base, read as one
 * integer) mod 93, zero-padded. BigInt, because the 16-digit number exceeds 2^53.
 */
export function navCheckDigits(auxDigit: number, segregationCode: string, iuvBase: string): string {
  if (!/^\d{13}$/.test(iuvBase)) throw new PagopaFormatError("INVALID_IUV_BASE", "The IUV base has 13 digits");
  if (!TWO_DIGITS.test(segregationCode))
    throw new PagopaFormatError("INVALID_SEGREGATION_CODE", "The segregation code has 2 digits");
  return (BigInt(`${auxDigit}${segregationCode}${iuvBase}`) % 93n).toString().padStart(2, "0");
}

/** Builds the NAV and IUV (aux digit 3) for a segregation code and an IUV base. */
export function buildNav(input: { auxDigit?: 3; segregationCode: string; iuvBase: bigint | number | string }): {
  nav: Nav;
  iuv: Iuv;
} {
  const auxDigit = input.auxDigit ?? 3;
  if (auxDigit !== 3) throw new PagopaFormatError("UNSUPPORTED_AUX_DIGIT", "Only aux digit 3 is supported");
  if (!isValidSegregationCode(input.segregationCode)) {
    throw new PagopaFormatError(
      "INVALID_SEGREGATION_CODE",
      `Segregation code ${input.segregationCode} is not assignable`,
    );
  }
  let base: bigint;
  try {
    base = BigInt(input.iuvBase);
  } catch {
    throw new PagopaFormatError("INVALID_IUV_BASE", "The IUV base is not an integer");
  }
  if (base < 0n || base > MAX_IUV_BASE) throw new PagopaFormatError("INVALID_IUV_BASE", "The IUV base is out of range");
  const base13 = base.toString().padStart(13, "0");
  const check = navCheckDigits(auxDigit, input.segregationCode, base13);
  const iuv = `${input.segregationCode}${base13}${check}`;
  return { nav: `${auxDigit}${iuv}` as Nav, iuv: iuv as Iuv };
}

/**
 * Splits a NAV (aux digit 3) into its parts, checking length and check digits.
 * @throws PagopaFormatError INVALID_NAV
 */
export function parseNav(nav: string): {
  auxDigit: number;
  segregationCode: string;
  iuvBase: string;
  checkDigits: string;
  iuv: Iuv;
} {
  if (!/^3\d{17}$/.test(nav))
    throw new PagopaFormatError("INVALID_NAV", "A notice number has 18 digits and starts with 3");
  const segregationCode = nav.slice(1, 3);
  const iuvBase = nav.slice(3, 16);
  const checkDigits = nav.slice(16);
  if (navCheckDigits(3, segregationCode, iuvBase) !== checkDigits) {
    throw new PagopaFormatError("INVALID_NAV", "The notice number's check digits are wrong");
  }
  return { auxDigit: 3, segregationCode, iuvBase, checkDigits, iuv: nav.slice(1) as Iuv };
}

export function isValidNav(nav: string): nav is Nav {
  try {
    parseNav(nav);
    return true;
  } catch {
    return false;
  }
}

/** The IUV of a NAV with aux digit 3 (the NAV without its first digit). */
export function iuvFromNav(nav: string): Iuv {
  return parseNav(nav).iuv;
}

/** The NAV of a 17-digit IUV (aux digit 3). */
export function navFromIuv(iuv: string, auxDigit: 3 = 3): Nav {
  const nav = `${auxDigit}${iuv}`;
  parseNav(nav);
  return nav as Nav;
}

/** A NAV as printed on the notice: groups of four digits from the left. */
export function formatNavForPrint(nav: string): string {
  return nav.replace(/(.{4})(?=.)/g, "$1 ");
}
