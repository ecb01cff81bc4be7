import { z } from "zod";
import { defineJob, type JobContext } from "../../platform/queue/job.ts";
import { createAcaClient } from "./aca-client.ts";
import { runAcaSync } from "./run-aca-sync.ts";

/**
 * Every minute: the Stand-In alignment (run-aca-sync.ts) against pagoPA's ACA archive, with
 * the URL and subscription key of the configuration.
 */
export const syncAcaJob = defineJob({
  queue: "reconciliation",
  name: "sync-aca",
  schedule: { every: 60_000 },
  schema: z.object({ now: z.iso.datetime().optional() }),
  async handle(payload, ctx) {
    return runAcaSyncJob(ctx, payload);
  },
});

export async function runAcaSyncJob(ctx: Pick<JobContext, "db" | "logger" | "config">, payload: { now?: string } = {}) {
  const client = createAcaClient({
    baseUrl: ctx.config.PAGOPA_ACA_URL,
    subscriptionKey: ctx.config.PAGOPA_ACA_SUBSCRIPTION_KEY,
    timeoutMs: ctx.config.PAGOPA_ACA_TIMEOUT_MS,
  });
  const stats = await runAcaSync(ctx.db, client, ctx.logger, { now: payload.now ? new Date(payload.now) : undefined });
  ctx.logger.info({ stats }, "ACA alignment run");
  return stats;
}
