import { z } from "zod";
import { defineJob } from "../../platform/queue/job.ts";

/**
 * Clears the raw XML of journal entries older than JOURNAL_RAW_RETENTION_DAYS. The entry itself
 * (operation, NAV, IUV, receiptId, outcome, duration) is kept: it is the payment's history.
 */
export const purgeJournalRawJob = defineJob({
  queue: "maintenance",
  name: "purge-journal-raw",
  schedule: { every: 60 * 60_000 },
  schema: z.object({ now: z.iso.datetime().optional() }),
  async handle(payload, ctx) {
    const now = payload.now ? new Date(payload.now) : new Date();
    const cutoff = new Date(now.getTime() - ctx.config.JOURNAL_RAW_RETENTION_DAYS * 86_400_000);
    const cleared = await ctx.db.withPlatformScope(
      "scheduler: journal raw XML retention",
      (tx) =>
        tx.$executeRaw`
        UPDATE nodo_messages SET request_xml = NULL, response_xml = NULL
        WHERE created_at < ${cutoff} AND (request_xml IS NOT NULL OR response_xml IS NOT NULL)`,
    );
    ctx.logger.info({ cleared, cutoff }, "purged raw journal XML");
    return { cleared };
  },
});
