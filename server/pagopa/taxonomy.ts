import { PagopaFormatError } from "./errors.ts";

const TAXONOMY = /^([6-9])\/(\d{2})(\d{2})(\d{3})(IM|TS|SP|SA|AP)\/$/;

export interface TaxonomyCode {
  prefix: string;
  ecType: string;
  macroArea: string;
  serviceType: string;
  legalReason: "IM" | "TS" | "SP" | "SA" | "AP";
}

/**
 * Splits a pagoPA taxonomy code (transferCategory), e.g. 9/0101002IM/: prefix 9 (6, 7, 8 for
 * SEPA Request-to-Pay), creditor type, macro area, service type, legal reason.
 * @throws PagopaFormatError INVALID_TAXONOMY_CODE
 */
export function parseTaxonomyCode(code: string): TaxonomyCode {
  const m = TAXONOMY.exec(code);
  if (!m) throw new PagopaFormatError("INVALID_TAXONOMY_CODE", `Not a taxonomy code: ${code}`);
  return {
    prefix: m[1]!,
    ecType: m[2]!,
    macroArea: m[3]!,
    serviceType: m[4]!,
    legalReason: m[5] as TaxonomyCode["legalReason"],
  };
}

export function isValidTaxonomyCode(code: string): boolean {
  return TAXONOMY.test(code);
}
