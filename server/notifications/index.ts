// Messages to citizens: the receipt e-mail (the SMTP mail catcher in development).
export { createMailer, type Mailer, type OutgoingMail } from "./mailer.ts";
export { rememberReceiptRecipient } from "./receipt-recipient.ts";
export { sendReceiptEmail, type ReceiptEmailDeps, type ReceiptEmailOutcome } from "./send-receipt-email.ts";
