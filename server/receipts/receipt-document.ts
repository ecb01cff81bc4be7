import { readFileSync } from "node:fs";
import { z } from "zod";
import { formatCentsIt, formatDateTimeIt } from "../pagopa/index.ts";
import { TemplateEngine, type Template } from "../platform/templates/index.ts";
import type { StoredReceipt } from "./receipt.repository.ts";
import { presentFee } from "./fee-presentation.ts";
import { paymentMethodLabel } from "./payment-method.ts";

// The receipt's JSON columns come from the Nodo's message: parse them, never trust their shape.
const subjectJson = z.object({ fiscalCode: z.string(), name: z.string() }).nullable().catch(null);
const transfersJson = z
  .array(
    z.object({
      index: z.number(),
      amountCents: z.number().int(),
      fiscalCodePA: z.string(),
      remittanceText: z.string(),
    }),
  )
  .catch([]);

export interface ReceiptDocumentView {
  creditor: { name: string; fiscalCode: string };
  subject: string | null;
  receiptId: string;
  navText: string;
  iuv: string;
  amountText: string;
  feeText: string | null;
  /** Where the fee of a cart of several notices is shown (Italian), or null. */
  feeNote: string | null;
  totalText: string;
  paidAtText: string;
  psp: string;
  paymentMethod: string | null;
  standIn: boolean;
  payer: { name: string; fiscalCode: string } | null;
  debtor: { name: string; fiscalCode: string } | null;
  transfers: Array<{
    index: number;
    beneficiary: string;
    fiscalCode: string;
    amountText: string;
    remittanceText: string;
  }>;
  issuedAtText: string;
}

/** What one receipt prints; beneficiaries are named when they are councils of this platform. */
export function buildReceiptView(
  receipt: StoredReceipt,
  creditor: { name: string; fiscalCode: string },
  names: Map<string, string>,
  now = new Date(),
): ReceiptDocumentView {
  const debtor =
    subjectJson.parse(receipt.debtor) ??
    (receipt.position ? { fiscalCode: receipt.position.debtorFiscalCode, name: receipt.position.debtorName } : null);
  const fee = presentFee(receipt, creditor.fiscalCode);
  return {
    creditor,
    subject: receipt.position?.subject ?? null,
    receiptId: receipt.receiptId,
    navText: receipt.nav.replace(/(\d{4})(?=\d)/g, "$1 "),
    iuv: receipt.iuv,
    amountText: formatCentsIt(receipt.amountCents),
    feeText: fee.feeCents === null ? null : formatCentsIt(fee.feeCents),
    feeNote: fee.note,
    totalText: formatCentsIt(fee.totalCents),
    paidAtText: formatDateTimeIt(receipt.paymentDateTime ?? receipt.receivedAt),
    psp: receipt.pspName ? `${receipt.pspName} (${receipt.pspId})` : receipt.pspId,
    paymentMethod: paymentMethodLabel(receipt.paymentMethod),
    standIn: receipt.standIn,
    payer: subjectJson.parse(receipt.payer),
    debtor,
    transfers: transfersJson
      .parse(receipt.transfers)
      .sort((a, b) => a.index - b.index)
      .map((t) => ({
        index: t.index,
        beneficiary:
          names.get(t.fiscalCodePA) ?? (t.fiscalCodePA === creditor.fiscalCode ? creditor.name : "Ente beneficiario"),
        fiscalCode: t.fiscalCodePA,
        amountText: formatCentsIt(t.amountCents),
        remittanceText: t.remittanceText,
      })),
    issuedAtText: formatDateTimeIt(now),
  };
}

const here = (file: string) => new URL(`./templates/${file}`, import.meta.url);
let compiled: { receipt: Template<ReceiptDocumentView>; css: string } | null = null;

/** The receipt as a self-contained HTML document (inline CSS, nothing fetched). */
export function renderReceiptDocument(view: ReceiptDocumentView): string {
  compiled ??= {
    receipt: new TemplateEngine().compileFile<ReceiptDocumentView>(here("receipt.hbs")),
    css: readFileSync(here("receipt.css"), "utf8"),
  };
  return `<!doctype html><html lang="it"><head><meta charset="utf-8"><title>Ricevuta di pagamento pagoPA</title><style>${compiled.css}</style></head><body>${compiled.receipt(view)}</body></html>`;
}
