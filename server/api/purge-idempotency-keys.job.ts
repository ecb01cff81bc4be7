import { z } from "zod";
import { defineJob } from "../platform/queue/job.ts";

/**
 * Drops the REST API's Idempotency-Keys older than API_IDEMPOTENCY_TTL_HOURS, for every council
 * (platform scope: the scheduler acts for all alike). A client repeating a write later than that
 * is treated as a new request.
 */
export const purgeIdempotencyKeysJob = defineJob({
  queue: "maintenance",
  name: "purge-idempotency-keys",
  schedule: { every: 60 * 60_000 },
  schema: z.object({ now: z.iso.datetime().optional() }),
  async handle(payload, ctx) {
    const now = payload.now ? new Date(payload.now) : new Date();
    const before = new Date(now.getTime() - ctx.config.API_IDEMPOTENCY_TTL_HOURS * 3_600_000);
    const purged = await ctx.db.withPlatformScope(
      "scheduler: purge old API idempotency keys",
      (tx) => tx.$executeRaw`DELETE FROM api_idempotency_keys WHERE created_at < ${before}`,
    );
    ctx.logger.info({ purged }, "purged API idempotency keys");
    return { purged };
  },
});
