// Receipts of payments: the payer's page by unguessable link and the receipt PDF.
export { getReceiptByAccessToken, type ReceiptView } from "./get-receipt-by-access-token.ts";
export {
  renderReceiptPdf,
  renderReceiptPdfByAccessToken,
  renderReceiptPdfByReceiptId,
  type ReceiptPdfDeps,
  type RenderedReceipt,
} from "./render-receipt-pdf.ts";
export { paymentMethodLabel } from "./payment-method.ts";
export { presentFee, type FeePresentation } from "./fee-presentation.ts";
export { rememberCheckoutCart, attachCheckoutCart, type ReceiptCart } from "./checkout-cart.ts";
export { listReceipts, receiptSearchSchema, RECEIPTS_PAGE_SIZE, type ReceiptSearch } from "./list-receipts.ts";
export { paidReceiptPages, type PaidReceiptRow } from "./paid-receipts-pages.ts";
export { receiptsFeed, getReceipt, FEED_SETTLE_MS, type ReceiptRecord } from "./receipts-feed.ts";
