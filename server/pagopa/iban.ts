import { mod97 } from "./rf.ts";

/** IBAN lengths by country (ISO 13616 registry) for the countries creditors and PSPs use. */
const LENGTHS: Record<string, number> = {
  IT: 27,
  SM: 27,
  VA: 22,
  DE: 22,
  FR: 27,
  ES: 24,
  AT: 20,
  CH: 21,
  GB: 22,
  NL: 18,
  BE: 16,
  LU: 20,
  IE: 22,
  PT: 25,
  MC: 27,
  SI: 19,
  HR: 21,
  GR: 27,
  PL: 28,
  CZ: 24,
  SK: 24,
  MT: 31,
  CY: 28,
  DK: 18,
  FI: 18,
  SE: 24,
  NO: 15,
  LI: 21,
  HU: 28,
  RO: 24,
  BG: 22,
  EE: 20,
  LV: 21,
  LT: 20,
};

/** Uppercase, without spaces. */
export function normalizeIban(value: string): string {
  return value.replace(/\s+/g, "").toUpperCase();
}

/** ISO 13616 IBAN: known country length and mod 97 check digits. */
export function isValidIban(value: string): boolean {
  const iban = normalizeIban(value);
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(iban)) return false;
  const length = LENGTHS[iban.slice(0, 2)];
  if (length !== undefined && iban.length !== length) return false;
  if (iban.slice(0, 2) === "IT" && !/^IT\d{2}[A-Z]\d{10}[A-Z0-9]{12}$/.test(iban)) return false;
  return mod97(`${iban.slice(4)}${iban.slice(0, 4)}`) === 1;
}

/** An Italian IBAN of Poste Italiane (ABI 07601): a postal account. */
export function isItalianPostalIban(value: string): boolean {
  const iban = normalizeIban(value);
  return isValidIban(iban) && iban.startsWith("IT") && iban.slice(5, 10) === "07601";
}
