import { z } from "zod";
import type { Database } from "../platform/db/database.ts";
import { AppError } from "../platform/errors.ts";
import { recordAudit, type Actor } from "../audit/index.ts";

/** Replay one event, or every event of a time range the endpoint subscribes to (at most a week, 10,000 events). */
export const replaySchema = z.union([
  z.object({ eventId: z.uuid() }),
  z
    .object({ from: z.coerce.date(), to: z.coerce.date() })
    .refine((r) => r.from < r.to, "L'inizio deve precedere la fine")
    .refine((r) => r.to.getTime() - r.from.getTime() <= 7 * 86_400_000, "Al massimo 7 giorni per volta"),
]);
export type ReplayRequest = z.input<typeof replaySchema>;

const MAX_REPLAY = 10_000;

/**
 * Sends events again to one endpoint: a new delivery per event, carrying the same event id
 * (`webhook-id`), so a receiver that deduplicates by id sees the same event. Returns how many.
 * @throws AppError NOT_FOUND, WEBHOOK_REPLAY_EMPTY
 */
export async function replayWebhookEvents(
  db: Database,
  tenantId: string,
  endpointId: string,
  request: ReplayRequest,
  actor: Actor,
  options: { requestId?: string } = {},
): Promise<number> {
  const r = replaySchema.parse(request);
  return db.withTenant(tenantId, async (tx) => {
    const endpoint = await tx.webhookEndpoint.findUnique({ where: { tenantId_id: { tenantId, id: endpointId } } });
    if (!endpoint) throw new AppError("NOT_FOUND", "Webhook non trovato", 404);
    const events = await tx.outboxEvent.findMany({
      where:
        "eventId" in r
          ? { tenantId, id: r.eventId }
          : { tenantId, createdAt: { gte: r.from, lt: r.to }, type: { in: endpoint.events } },
      select: { id: true, type: true, positionId: true },
      orderBy: { id: "asc" },
      take: MAX_REPLAY,
    });
    if (!events.length)
      throw new AppError("WEBHOOK_REPLAY_EMPTY", "Nessun evento da reinviare in questo intervallo", 422);
    await tx.webhookDelivery.createMany({
      data: events.map((e) => ({
        tenantId,
        endpointId,
        eventId: e.id,
        eventType: e.type,
        positionId: e.positionId,
        replay: true,
      })),
    });
    await recordAudit(tx, {
      tenantId,
      actor,
      action: "webhook.replay",
      entityType: "WebhookEndpoint",
      entityId: endpointId,
      after:
        "eventId" in r
          ? { eventId: r.eventId }
          : { from: r.from.toISOString(), to: r.to.toISOString(), events: events.length },
      requestId: options.requestId,
    });
    return events.length;
  });
}
