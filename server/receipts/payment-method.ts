// Payment methods as receipts name them, in the words a citizen knows. Two vocabularies reach
// us: the PSP's outcome (nodeForPsp stPaymentMethod: cash, creditCard, bancomat, other) and
// the codes of pagoPA's own touchpoints (CP, BBT, PPAL, ...). Keys are matched case-insensitively.
const LABELS: Record<string, string> = {
  cp: "Carta di pagamento",
  creditcard: "Carta di pagamento",
  card: "Carta di pagamento",
  bancomat: "Carta Bancomat (PagoBANCOMAT)",
  cash: "Contanti",
  other: "Altro",
  bbt: "Bonifico bancario",
  bp: "Bollettino postale",
  ad: "Addebito diretto",
  ppal: "PayPal",
  paypal: "PayPal",
  bpay: "Bancomat Pay",
  bancomatpay: "Bancomat Pay",
  mybk: "MyBank",
  mybank: "MyBank",
  appl: "Apple Pay",
  applepay: "Apple Pay",
  goog: "Google Pay",
  googlepay: "Google Pay",
  obep: "Online banking",
};

/**
 * The Italian name of a receipt's payment method; null when the receipt names none. A code we do
 * not know is shown as "Altro metodo (code)" rather than as a bare technical word.
 */
export function paymentMethodLabel(code: string | null | undefined): string | null {
  const trimmed = code?.trim();
  if (!trimmed) return null;
  return LABELS[trimmed.toLowerCase().replace(/[\s_-]/g, "")] ?? `Altro metodo (${trimmed})`;
}
