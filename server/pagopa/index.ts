// Pure pagoPA domain primitives: no I/O, no framework. Exhaustively unit-tested.
export type { Nav, Iuv, Cents } from "./brands.ts";
export { PagopaFormatError } from "./errors.ts";
export { FeistelPermutation, iuvBasesOf, NEW_BASE_OFFSET, PERMUTED_DOMAIN } from "./iuv-permutation.ts";
export {
  navCheckDigits,
  buildNav,
  parseNav,
  isValidNav,
  iuvFromNav,
  navFromIuv,
  formatNavForPrint,
  MAX_IUV_BASE,
  RESERVED_SEGREGATION_CODES,
  isValidSegregationCode,
} from "./nav.ts";
export { rfReference, isValidRfReference } from "./rf.ts";
export { noticeQrPayload, posteDataMatrixPayload } from "./payloads.ts";
export { isValidTaxonomyCode, parseTaxonomyCode, type TaxonomyCode } from "./taxonomy.ts";
export { isValidFiscalCode, isValidPersonFiscalCode, isValidVatNumber, fiscalCodeControlChar } from "./fiscal-code.ts";
export { isValidIban, isItalianPostalIban, normalizeIban } from "./iban.ts";
export {
  toCents,
  parseEuroToCents,
  formatCentsIt,
  formatDateIt,
  formatDateTimeIt,
  startOfRomeDay,
  endOfRomeDay,
  MAX_PAGOPA_CENTS,
} from "./money.ts";
export type { PagopaIban, PagopaInstitution, PagopaRegistry } from "./registry.ts";
export type { NodoExchange, TestNodo, TestNodoPayment, TestNodoVerify, TestNotice } from "./test-nodo.ts";
