import type { Database } from "../platform/db/database.ts";
import { AppError } from "../platform/errors.ts";
import { recordAudit, type Actor } from "../audit/index.ts";

/**
 * Pauses or resumes an endpoint. Paused, its deliveries wait (nothing is dropped); resumed, the
 * failure count starts again and waiting deliveries are due at once instead of at their
 * back-off time.
 * @throws AppError NOT_FOUND
 */
export async function setWebhookPaused(
  db: Database,
  tenantId: string,
  endpointId: string,
  paused: boolean,
  actor: Actor,
  options: { now?: Date; requestId?: string } = {},
): Promise<void> {
  const now = options.now ?? new Date();
  await db.withTenant(tenantId, async (tx) => {
    const found = await tx.webhookEndpoint.findUnique({ where: { tenantId_id: { tenantId, id: endpointId } } });
    if (!found) throw new AppError("NOT_FOUND", "Webhook non trovato", 404);
    await tx.webhookEndpoint.update({
      where: { tenantId_id: { tenantId, id: endpointId } },
      data: paused
        ? { paused: true, pausedAt: now, pausedReason: "Sospeso da un amministratore" }
        : { paused: false, pausedAt: null, pausedReason: null, consecutiveFailures: 0 },
    });
    if (!paused)
      await tx.webhookDelivery.updateMany({
        where: { tenantId, endpointId, status: "PENDING" },
        data: { nextAttemptAt: now },
      });
    await recordAudit(tx, {
      tenantId,
      actor,
      action: paused ? "webhook.pause" : "webhook.resume",
      entityType: "WebhookEndpoint",
      entityId: endpointId,
      before: { paused: found.paused },
      after: { paused },
      requestId: options.requestId,
    });
  });
}
