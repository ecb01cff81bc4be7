import { z } from "zod";
import { defineJob } from "../platform/queue/job.ts";

const BATCH = 20_000;

/**
 * Keeps the webhook history for WEBHOOK_RETENTION_DAYS: older finished deliveries go with their
 * attempts (the delivery log), then older events no delivery still needs. Pending deliveries and
 * their events stay whatever their age, so nothing still owed to a council is lost; events older
 * than the retention can no longer be replayed. Deletes in bounded batches, so no run holds a
 * long transaction.
 */
export const purgeWebhookHistoryJob = defineJob({
  queue: "maintenance",
  name: "purge-webhook-history",
  schedule: { every: 60 * 60_000 },
  schema: z.object({ now: z.iso.datetime().optional() }),
  async handle(payload, ctx) {
    const now = payload.now ? new Date(payload.now) : new Date();
    const cutoff = new Date(now.getTime() - ctx.config.WEBHOOK_RETENTION_DAYS * 86_400_000);
    const reason = "scheduler: webhook history retention";
    let deliveries = 0;
    let events = 0;
    for (let n = BATCH; n === BATCH; deliveries += n) {
      n = await ctx.db.withPlatformScope(
        reason,
        (tx) => tx.$executeRaw`
          DELETE FROM webhook_deliveries WHERE id IN (
            SELECT id FROM webhook_deliveries WHERE status <> 'PENDING' AND created_at < ${cutoff} LIMIT ${BATCH})`,
      );
    }
    for (let n = BATCH; n === BATCH; events += n) {
      n = await ctx.db.withPlatformScope(
        reason,
        (tx) => tx.$executeRaw`
          DELETE FROM outbox_events WHERE id IN (
            SELECT o.id FROM outbox_events o
            WHERE o.relayed_at IS NOT NULL AND o.created_at < ${cutoff}
              AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.tenant_id = o.tenant_id AND d.event_id = o.id)
            LIMIT ${BATCH})`,
      );
    }
    ctx.logger.info({ deliveries, events, cutoff }, "purged webhook history");
    return { deliveries, events };
  },
});
