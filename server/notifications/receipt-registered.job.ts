import { defineJob } from "../platform/queue/job.ts";
import { receiptRegisteredJobId, receiptRegisteredSchema } from "../positions/index.ts";
import { attachCheckoutCart } from "../receipts/index.ts";
import { sendReceiptEmail } from "./send-receipt-email.ts";

/**
 * Follow-ups of a registered receipt: the Checkout cart it was paid in (when the portal sent
 * several notices together), then the payer's e-mail with the receipt (when the portal or the
 * receipt gave an address). Council systems hear of the receipt through the outbox (webhooks),
 * written in the receipt's own transaction. When both are done the receipt is marked
 * (`follow_ups_done_at`); until then the `sweep-receipt-follow-ups` job queues this job again,
 * so every step is idempotent: the cart is rewritten with the same value, the e-mail is sent once.
 */
export const receiptRegisteredJob = defineJob({
  queue: "receipts",
  name: "receipt-registered",
  schema: receiptRegisteredSchema,
  jobId: (p) => receiptRegisteredJobId(p.tenantId, p.receiptId),
  async handle(payload, ctx) {
    const { tenantId, receiptId } = payload;
    ctx.logger.info({ tenantId, receiptId, standIn: payload.standIn }, "receipt registered");
    const receipt = await ctx.db.withTenant(tenantId, (tx) =>
      tx.receipt.findUnique({
        where: { tenantId_receiptId: { tenantId, receiptId } },
        select: { id: true, followUpsDoneAt: true },
      }),
    );
    // Not stored (a payload naming a receipt that never committed): nothing to follow up.
    if (!receipt) return { handled: false, reason: "not-found" };
    if (receipt.followUpsDoneAt) return { handled: true, alreadyDone: true };
    // A copy for a secondary beneficiary (optionId null) is not this payer's receipt to send.
    const ours = payload.outcome === "OK" && payload.optionId !== null;
    // Before the e-mail: the receipt it attaches shows a cart's fee once.
    const cart = ours ? await attachCheckoutCart(ctx, tenantId, receiptId) : false;
    const email = ours ? await sendReceiptEmail(ctx, tenantId, receiptId) : "not-applicable";
    await ctx.db.withTenant(tenantId, (tx) =>
      tx.receipt.updateMany({
        where: { id: receipt.id, followUpsDoneAt: null },
        data: { followUpsDoneAt: new Date() },
      }),
    );
    return { handled: true, email, cart };
  },
});
