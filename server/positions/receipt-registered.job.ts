import { createHash } from "node:crypto";
import { z } from "zod";
import { defineJob } from "../platform/queue/registry.ts";
import type { JobContext } from "../jobs.ts";
import { sendReceiptEmail } from "../notifications/index.ts";
import { attachCheckoutCart } from "../receipts/index.ts";

export const receiptRegisteredSchema = z.object({
  tenantId: z.uuid(),
  receiptId: z.string().min(1).max(35),
  /** Null for a receipt sent to a secondary beneficiary (another council's notice). */
  optionId: z.uuid().nullable(),
  outcome: z.enum(["OK", "KO"]),
  standIn: z.boolean(),
});

export type ReceiptRegisteredEvent = z.infer<typeof receiptRegisteredSchema>;

/**
 * One job per stored receipt, whatever the number of times the Nodo delivers it: the id is
 * derived from tenant and receiptId (BullMQ ignores an id it already holds), so re-queuing on
 * a redelivered receipt is harmless.
 */
export function receiptRegisteredJobId(tenantId: string, receiptId: string): string {
  return `receipt-registered-${createHash("sha256").update(`${tenantId}\n${receiptId}`).digest("hex").slice(0, 40)}`;
}

/**
 * Follow-ups of a registered receipt: the Checkout cart it was paid in (when the portal sent
 * several notices together), then the payer's e-mail with the receipt (when the portal or the
 * receipt gave an address). Notifying the council's systems and reconciliation come in later issues.
 */
export function receiptRegisteredJob(ctx: JobContext) {
  return defineJob({
    queue: "receipts",
    name: "receipt-registered",
    schema: receiptRegisteredSchema,
    jobId: (p) => receiptRegisteredJobId(p.tenantId, p.receiptId),
    async handle(payload) {
      ctx.logger.info({ tenantId: payload.tenantId, receiptId: payload.receiptId, standIn: payload.standIn }, "receipt registered");
      // A copy for a secondary beneficiary (optionId null) is not this payer's receipt to send.
      const ours = payload.outcome === "OK" && payload.optionId !== null;
      // Before the e-mail: the receipt it attaches shows a cart's fee once.
      const cart = ours ? await attachCheckoutCart(ctx, payload.tenantId, payload.receiptId) : false;
      const email = ours ? await sendReceiptEmail(ctx, payload.tenantId, payload.receiptId) : "not-applicable";
      return { handled: true, email, cart };
    },
  });
}
