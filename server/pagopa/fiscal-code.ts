const ODD: Record<string, number> = {
  "0": 1,
  "1": 0,
  "2": 5,
  "3": 7,
  "4": 9,
  "5": 13,
  "6": 15,
  "7": 17,
  "8": 19,
  "9": 21,
  A: 1,
  B: 0,
  C: 5,
  D: 7,
  E: 9,
  F: 13,
  G: 15,
  H: 17,
  I: 19,
  J: 21,
  K: 2,
  L: 4,
  M: 18,
  N: 20,
  O: 11,
  P: 3,
  Q: 6,
  R: 8,
  S: 12,
  T: 14,
  U: 16,
  V: 10,
  W: 22,
  X: 25,
  Y: 24,
  Z: 23,
};
const evenValue = (ch: string) => (ch >= "0" && ch <= "9" ? Number(ch) : ch.charCodeAt(0) - 65);

/** Omocodia: digits replaced by these letters when two people would share a code. */
const OMOCODE = "LMNPQRSTUV";
const DIGIT_POSITIONS = [6, 7, 9, 10, 12, 13, 14];
const PERSON = /^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/;

/** The control character of the first 15 characters of a person's fiscal code. */
export function fiscalCodeControlChar(first15: string): string {
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const ch = first15[i]!;
    sum += i % 2 === 0 ? ODD[ch]! : evenValue(ch);
  }
  return String.fromCharCode(65 + (sum % 26));
}

/** A natural person's 16-character codice fiscale, omocodia variants included. */
export function isValidPersonFiscalCode(value: string): boolean {
  const cf = value.trim().toUpperCase();
  if (!PERSON.test(cf)) return false;
  const decoded = [...cf]
    .map((ch, i) => (DIGIT_POSITIONS.includes(i) && OMOCODE.includes(ch) ? String(OMOCODE.indexOf(ch)) : ch))
    .join("");
  const day = Number(decoded.slice(9, 11));
  if (!((day >= 1 && day <= 31) || (day >= 41 && day <= 71))) return false;
  return fiscalCodeControlChar(cf.slice(0, 15)) === cf[15];
}

/** An 11-digit Italian VAT number (partita IVA) with its control digit. */
export function isValidVatNumber(value: string): boolean {
  const v = value.trim();
  if (!/^\d{11}$/.test(v)) return false;
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    const d = Number(v[i]);
    if (i % 2 === 0) sum += d;
    else sum += d * 2 > 9 ? d * 2 - 9 : d * 2;
  }
  return (10 - (sum % 10)) % 10 === Number(v[10]);
}

/** Any Italian fiscal code: a person's (16 characters) or an organisation's (11 digits). */
export function isValidFiscalCode(value: string): boolean {
  const v = value.trim().toUpperCase();
  return v.length === 11 ? isValidVatNumber(v) : isValidPersonFiscalCode(v);
}
