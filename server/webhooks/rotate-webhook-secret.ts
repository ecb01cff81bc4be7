import type { Database } from "../platform/db/database.ts";
import { AppError } from "../platform/errors.ts";
import { recordAudit, type Actor } from "../audit/index.ts";
import { generateSecret } from "./signature.ts";

/**
 * Gives an endpoint a new secret. The previous one keeps signing beside it (two signatures in
 * `webhook-signature`) for `overlapHours`, so the council's system can switch without losing
 * a delivery. Returns the new secret, shown once.
 * @throws AppError NOT_FOUND
 */
export async function rotateWebhookSecret(
  db: Database,
  tenantId: string,
  endpointId: string,
  actor: Actor,
  options: { overlapHours: number; now?: Date; requestId?: string },
): Promise<{ secret: string; previousSecretUntil: Date }> {
  const now = options.now ?? new Date();
  const until = new Date(now.getTime() + options.overlapHours * 3_600_000);
  const secret = generateSecret();
  return db.withTenant(tenantId, async (tx) => {
    const current = await tx.webhookEndpoint.findUnique({ where: { tenantId_id: { tenantId, id: endpointId } } });
    if (!current) throw new AppError("NOT_FOUND", "Webhook non trovato", 404);
    await tx.webhookEndpoint.update({
      where: { tenantId_id: { tenantId, id: endpointId } },
      data: { secret, previousSecret: current.secret, previousSecretUntil: until },
    });
    await recordAudit(tx, {
      tenantId,
      actor,
      action: "webhook.rotate-secret",
      entityType: "WebhookEndpoint",
      entityId: endpointId,
      after: { previousSecretUntil: until.toISOString() },
      requestId: options.requestId,
    });
    return { secret, previousSecretUntil: until };
  });
}
