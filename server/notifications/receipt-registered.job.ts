import { defineJob } from "../platform/queue/job.ts";
import { receiptRegisteredJobId, receiptRegisteredSchema } from "../positions/index.ts";
import { sendReceiptEmail } from "./send-receipt-email.ts";

/**
 * Follow-ups of a registered receipt: the payer's e-mail with the receipt (when the portal or the
 * receipt gave an address). Notifying the council's systems and reconciliation come in later issues.
 */
export const receiptRegisteredJob = defineJob({
  queue: "receipts",
  name: "receipt-registered",
  schema: receiptRegisteredSchema,
  jobId: (p) => receiptRegisteredJobId(p.tenantId, p.receiptId),
  async handle(payload, ctx) {
    ctx.logger.info({ tenantId: payload.tenantId, receiptId: payload.receiptId, standIn: payload.standIn }, "receipt registered");
    // A copy for a secondary beneficiary (optionId null) is not this payer's receipt to send.
    const email = payload.outcome === "OK" && payload.optionId ? await sendReceiptEmail(ctx, payload.tenantId, payload.receiptId) : "not-applicable";
    return { handled: true, email };
  },
});
