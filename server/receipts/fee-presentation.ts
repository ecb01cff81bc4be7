import { formatCentsIt, formatNavForPrint } from "../pagopa/index.ts";
import { receiptCartSchema } from "./checkout-cart.ts";

/** How one receipt shows the PSP's fee and the total. */
export interface FeePresentation {
  /** The fee printed on this receipt; null when there is none or it is printed on another one. */
  feeCents: number | null;
  /** What this receipt certifies as paid: its amount, plus the fee when printed here. */
  totalCents: number;
  /** Italian sentence for a receipt of a cart of several notices; null otherwise. */
  note: string | null;
}

/**
 * The fee of a receipt, shown once per payment. The PSP charges one fee for the whole payment
 * operation, and the Nodo reports that same `fee` in the receipt of every notice paid with it
 * (ctReceiptV2 has no per-notice share; `primaryCiIncurredFee` is what the primary council
 * bears, not a split). So in a cart of several notices the fee is printed on the receipt of the
 * cart's first notice (the primary one) and the others say where it is, and the receipts of one
 * payment add up to what the citizen paid. A receipt not known to come from a cart shows its fee.
 */
export function presentFee(
  receipt: { nav: string; amountCents: number; feeCents: number | null; cart: unknown },
  creditorFiscalCode: string,
): FeePresentation {
  const fee = receipt.feeCents;
  if (!fee) return { feeCents: null, totalCents: receipt.amountCents, note: null };
  const parsed = receiptCartSchema.safeParse(receipt.cart);
  const notices = parsed.success ? parsed.data.notices : [];
  if (notices.length < 2) return { feeCents: fee, totalCents: receipt.amountCents + fee, note: null };
  const primary = notices[0]!;
  const others = notices.length - 1;
  if (primary.nav === receipt.nav && primary.fiscalCode === creditorFiscalCode) {
    return {
      feeCents: fee,
      totalCents: receipt.amountCents + fee,
      note: `Commissione unica dell'operazione con cui sono stati pagati ${notices.length} avvisi: è indicata solo su questa ricevuta.`,
    };
  }
  return {
    feeCents: null,
    totalCents: receipt.amountCents,
    note:
      `Avviso pagato insieme ${others === 1 ? "a un altro avviso" : `ad altri ${others} avvisi`} in un'unica operazione: la commissione di ${formatCentsIt(fee)} euro ` +
      `è stata addebitata una sola volta ed è indicata sulla ricevuta dell'avviso ${formatNavForPrint(primary.nav)} (${primary.companyName}).`,
  };
}
