import { defineJob } from "../platform/queue/job.ts";
import { receiptRegisteredJobId, receiptRegisteredSchema } from "../positions/index.ts";
import { attachCheckoutCart } from "../receipts/index.ts";
import { sendReceiptEmail } from "./send-receipt-email.ts";

/**
 * Follow-ups of a registered receipt: the Checkout cart it was paid in (when the portal sent
 * several notices together), then the payer's e-mail with the receipt (when the portal or the
 * receipt gave an address). Notifying the council's systems and reconciliation come in later issues.
 */
export const receiptRegisteredJob = defineJob({
  queue: "receipts",
  name: "receipt-registered",
  schema: receiptRegisteredSchema,
  jobId: (p) => receiptRegisteredJobId(p.tenantId, p.receiptId),
  async handle(payload, ctx) {
    ctx.logger.info(
      { tenantId: payload.tenantId, receiptId: payload.receiptId, standIn: payload.standIn },
      "receipt registered",
    );
    // A copy for a secondary beneficiary (optionId null) is not this payer's receipt to send.
    const ours = payload.outcome === "OK" && payload.optionId !== null;
    // Before the e-mail: the receipt it attaches shows a cart's fee once.
    const cart = ours ? await attachCheckoutCart(ctx, payload.tenantId, payload.receiptId) : false;
    const email = ours ? await sendReceiptEmail(ctx, payload.tenantId, payload.receiptId) : "not-applicable";
    return { handled: true, email, cart };
  },
});
