import type { ReceiptInput } from "../positions/index.ts";

/** What the recovery asks pagoPA's receipt archive for: a council's receipt by IUV and IUR. */
export interface ReceiptLookup {
  organizationFiscalCode: string;
  iuv: string;
  /** The receipt's IUR: the payment token of the activation (paSendRTV2's receiptId). */
  iur: string;
}

/**
 * Port to pagoPA's record of the receipts it delivered (the biz-events service; the adapter is
 * server/nodo/bizevents). `null`: pagoPA has no such receipt (yet). Throws when the archive
 * cannot be asked now (unreachable, rate-limited, circuit open): the lookup is tried later.
 */
export interface ReceiptArchive {
  find(lookup: ReceiptLookup): Promise<ReceiptInput | null>;
}
