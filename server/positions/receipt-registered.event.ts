import { createHash } from "node:crypto";
import { z } from "zod";

/** What positions/ announces when it has stored a receipt; the follow-ups (e-mail, later webhooks) consume it. */
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
