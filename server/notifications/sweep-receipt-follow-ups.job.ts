import { z } from "zod";
import { defineJob } from "../platform/queue/job.ts";
import { receiptRegisteredJob } from "./receipt-registered.job.ts";

/** Receipts re-queued by one run at most; the next run (a minute later) takes the rest. */
const BATCH = 500;

/**
 * The durable side of a receipt's follow-ups. The station queues them in Redis after the
 * receipt commits; if Redis loses that queue (killed and back empty, a failover without
 * persistence), PostgreSQL still knows: the receipt has no `follow_ups_done_at`. Every minute
 * this job queues again the receipts still pending `RECEIPT_FOLLOW_UP_SWEEP_MINUTES` after they
 * were stored (by the same job id, so a job Redis still holds is not doubled, and a failed one is
 * retried). Runs across tenants in platform scope, as the scheduler acts for every council alike.
 */
export const sweepReceiptFollowUpsJob = defineJob({
  queue: "receipts",
  name: "sweep-receipt-follow-ups",
  schedule: { every: 60_000 },
  // `tenantId` confines a run to one council (an operator's manual sweep; tests sharing one database).
  schema: z.object({ now: z.iso.datetime().optional(), tenantId: z.uuid().optional() }),
  async handle(payload, ctx) {
    if (!ctx.jobs) throw new Error("sweep-receipt-follow-ups needs the job registry to queue follow-ups");
    const jobs = ctx.jobs;
    const now = payload.now ? new Date(payload.now) : new Date();
    const before = new Date(now.getTime() - ctx.config.RECEIPT_FOLLOW_UP_SWEEP_MINUTES * 60_000);
    const only = payload.tenantId ?? null;
    const pending = await ctx.db.withPlatformScope(
      "scheduler: sweep receipt follow-ups",
      (tx) =>
        tx.$queryRaw<
          Array<{ tenant_id: string; receipt_id: string; option_id: string | null; outcome: string; stand_in: boolean }>
        >`
        SELECT tenant_id::text, receipt_id, option_id::text, outcome, stand_in FROM receipts
        WHERE follow_ups_done_at IS NULL AND received_at < ${before}
          AND (${only}::uuid IS NULL OR tenant_id = ${only}::uuid)
        ORDER BY received_at LIMIT ${BATCH}`,
    );
    const counts = { added: 0, retried: 0, pending: 0, completed: 0 };
    for (const r of pending) {
      const what = await jobs.requeue(receiptRegisteredJob, {
        tenantId: r.tenant_id,
        receiptId: r.receipt_id,
        optionId: r.option_id,
        outcome: r.outcome === "OK" ? "OK" : "KO",
        standIn: r.stand_in,
      });
      counts[what]++;
    }
    if (counts.added + counts.retried + counts.completed > 0)
      ctx.logger.warn({ ...counts }, "receipt follow-ups queued again (not done in time; was Redis emptied?)");
    return { found: pending.length, ...counts };
  },
});
