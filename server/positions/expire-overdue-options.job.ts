import { z } from "zod";
import { defineJob } from "../platform/queue/job.ts";
import { emitEvents } from "../outbox/index.ts";

/**
 * Marks unpaid options whose payability window has closed (expires_at in the past) as EXPIRED,
 * and a position EXPIRED when none of its options can still be paid. Runs across tenants in
 * platform scope: it is the scheduler acting for every council alike.
 */
export const expireOverdueOptionsJob = defineJob({
  queue: "maintenance",
  name: "expire-overdue-options",
  schedule: { every: 5 * 60_000 },
  schema: z.object({ now: z.iso.datetime().optional() }),
  async handle(payload, ctx) {
    const now = payload.now ? new Date(payload.now) : new Date();
    return ctx.db.withPlatformScope("scheduler: expire overdue options", async (tx) => {
      const options = await tx.$executeRaw`
        UPDATE payment_options SET status = 'EXPIRED', updated_at = now()
        WHERE status = 'UNPAID' AND expires_at IS NOT NULL AND expires_at < ${now}
          AND (locked_until IS NULL OR locked_until < ${now})`;
      const expired = await tx.$queryRaw<
        Array<{ tenant_id: string; id: string; iupd: string; external_id: string | null }>
      >`
        UPDATE debt_positions p SET status = 'EXPIRED', updated_at = now()
        WHERE p.status = 'VALID'
          AND NOT EXISTS (SELECT 1 FROM payment_options o
                          WHERE o.tenant_id = p.tenant_id AND o.position_id = p.id AND o.status <> 'EXPIRED')
        RETURNING p.tenant_id::text, p.id::text, p.iupd, p.external_id`;
      // In the same transaction: council systems hear of every expiry, or none happened.
      await emitEvents(
        tx,
        expired.map((p) => ({
          tenantId: p.tenant_id,
          type: "position.expired" as const,
          positionId: p.id,
          at: now,
          data: { positionId: p.id, iupd: p.iupd, externalId: p.external_id, status: "EXPIRED" },
        })),
      );
      const positions = expired.length;
      ctx.logger.info({ options, positions }, "expired overdue options");
      return { options, positions };
    });
  },
});
