import { PagopaFormatError } from "./errors.ts";

/** ISO 7064 mod 97 of an alphanumeric string, letters as A=10 ... Z=35, digit by digit. */
function mod97(text: string): number {
  let rest = 0;
  for (const ch of text) {
    const value = ch >= "A" && ch <= "Z" ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of value) rest = (rest * 10 + Number(d)) % 97;
  }
  return rest;
}

/** An RF creditor reference (ISO 11649) for a reference of up to 21 letters and digits. */
export function rfReference(reference: string): string {
  const ref = reference.replace(/\s+/g, "").toUpperCase();
  if (!/^[A-Z0-9]{1,21}$/.test(ref))
    throw new PagopaFormatError("INVALID_RF_REFERENCE", "The reference has 1-21 letters or digits");
  const check = 98 - mod97(`${ref}RF00`);
  return `RF${String(check).padStart(2, "0")}${ref}`;
}

/** True for a well-formed RF reference whose check digits hold (spaces and case ignored). */
export function isValidRfReference(value: string): boolean {
  const v = value.replace(/\s+/g, "").toUpperCase();
  if (!/^RF\d{2}[A-Z0-9]{1,21}$/.test(v)) return false;
  return mod97(`${v.slice(4)}${v.slice(0, 4)}`) === 1;
}

export { mod97 };
