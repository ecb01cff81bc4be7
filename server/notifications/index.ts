// Messages to citizens: the receipt e-mail (the SMTP mail catcher in development).
export {
  rememberCheckoutRecipient,
  CHECKOUT_RECIPIENT_WINDOW_MS,
  type CheckoutRecipient,
} from "./receipt-recipient.ts";
export { sendReceiptEmail, type ReceiptEmailDeps, type ReceiptEmailOutcome } from "./send-receipt-email.ts";
export { receiptRegisteredJob } from "./receipt-registered.job.ts";
export { sweepReceiptFollowUpsJob } from "./sweep-receipt-follow-ups.job.ts";
