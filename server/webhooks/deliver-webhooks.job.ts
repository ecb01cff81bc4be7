import { z } from "zod";
import { defineJob } from "../platform/queue/job.ts";
import { runWebhookRelay } from "./run-webhook-relay.ts";
import { webhookHttp } from "./webhook-http.ts";

/**
 * The webhook relay, every second on the worker: outbox events to deliveries, deliveries to
 * councils' endpoints. Several workers may run it at once (rows are claimed with SKIP LOCKED
 * and leased), so the schedule never needs a single owner.
 */
export const deliverWebhooksJob = defineJob({
  queue: "webhooks",
  name: "deliver-webhooks",
  schedule: { every: 1_000 },
  schema: z.object({}),
  async handle(_payload, ctx) {
    const stats = await runWebhookRelay({ ...ctx, http: webhookHttp(ctx.config) }, { budgetMs: 20_000 });
    if (stats.events || stats.delivered || stats.failed) ctx.logger.info(stats, "webhook relay");
    return stats;
  },
});
