import { z } from "zod";

/** Failure modes on demand, for the next `times` payments (or every payment when omitted). */
export const faultPlanSchema = z.strictObject({
  /** Wait before each call to the station. */
  delayMs: z.number().int().min(0).max(20_000).optional(),
  /** The station's answer to the receipt is lost: the Nodo sends the same receipt again. */
  loseReceiptAnswer: z.boolean().optional(),
  /** The same receipt is sent this many extra times, one after the other. */
  receiptRetries: z.number().int().min(0).max(10).optional(),
  /** The same receipt is sent this many times at once. */
  concurrentReceipts: z.number().int().min(2).max(50).optional(),
  /** Lost receipt: the PSP is paid but the Nodo never sends paSendRTV2; only biz-events keeps it. */
  lostReceipt: z.boolean().optional(),
  /** Stand-In: the station is considered down; the receipt arrives with standIn=true. */
  standIn: z.boolean().optional(),
  /** The Nodo gives up on verify after this many milliseconds. */
  verifyTimeoutMs: z.number().int().min(1).max(10_000).optional(),
  times: z.number().int().min(1).max(1000).optional(),
});

export type FaultPlan = z.infer<typeof faultPlanSchema>;

/** Holds the active plan; each payment takes it once, and a counted plan runs out. */
export class Faults {
  private plan: FaultPlan | undefined;
  private left: number | undefined;

  set(plan: FaultPlan): void {
    this.plan = plan;
    this.left = plan.times;
  }

  clear(): void {
    this.plan = undefined;
    this.left = undefined;
  }

  current(): FaultPlan | undefined {
    return this.plan;
  }

  take(): FaultPlan {
    const plan = this.plan ?? {};
    if (this.left !== undefined && --this.left <= 0) this.clear();
    return plan;
  }
}
