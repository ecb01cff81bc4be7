import { z } from "zod";
import type { JobContext } from "../../platform/queue/job.ts";
import { defineJob } from "../../platform/queue/job.ts";
import { receiptRegisteredJob } from "../../notifications/index.ts";
import type { ReceiptFollowUps } from "../../positions/index.ts";
import { runReceiptRecovery, type ReceiptArchive } from "../../receipt-recovery/index.ts";
import { createBizEventsClient } from "./biz-events-client.ts";

/**
 * Every 15 minutes: receipts the Nodo never delivered (an activation without receipt after
 * RECEIPT_RECOVERY_AFTER_MINUTES, a reporting-flow row without receipt) are asked of pagoPA's
 * biz-events API and stored as paSendRTV2 would have; the follow-ups are the same job the
 * station queues (receipt-registered, one per receipt whatever the path).
 */
export const recoverReceiptsJob = defineJob({
  queue: "reconciliation",
  name: "recover-receipts",
  schedule: { every: 15 * 60_000 },
  schema: z.object({ ipa: z.string().max(35).optional(), now: z.iso.datetime().optional() }),
  async handle(payload, ctx) {
    const archive = createBizEventsClient({
      baseUrl: ctx.config.PAGOPA_BIZEVENTS_URL,
      subscriptionKey: ctx.config.PAGOPA_BIZEVENTS_SUBSCRIPTION_KEY,
      timeoutMs: ctx.config.PAGOPA_BIZEVENTS_TIMEOUT_MS,
    });
    const jobs = ctx.jobs;
    if (!jobs) throw new Error("recover-receipts needs a job registry to queue the receipts' follow-ups");
    return runReceiptRecoveryJob(
      ctx,
      archive,
      async (event) => {
        await jobs.enqueue(receiptRegisteredJob, event);
      },
      payload,
    );
  },
});

/** The job's work with the archive and follow-ups given (tests point the client at their simulator). */
export function runReceiptRecoveryJob(
  ctx: Pick<JobContext, "db" | "logger" | "config">,
  archive: ReceiptArchive,
  followUps: ReceiptFollowUps,
  payload: { ipa?: string; now?: string } = {},
) {
  return runReceiptRecovery(ctx.db, ctx.logger, {
    archive,
    followUps,
    afterMinutes: ctx.config.RECEIPT_RECOVERY_AFTER_MINUTES,
    maxAttempts: ctx.config.RECEIPT_RECOVERY_MAX_ATTEMPTS,
    perRun: ctx.config.RECEIPT_RECOVERY_PER_RUN,
    unreportedDays: ctx.config.RECONCILIATION_UNREPORTED_DAYS,
    now: payload.now ? new Date(payload.now) : undefined,
    ipa: payload.ipa,
  }).then((summary) => {
    ctx.logger.info({ summary }, "receipt recovery run");
    return summary;
  });
}
