import type { Tx } from "../../platform/db/database.ts";
import { recordAudit, type Actor } from "../../audit/index.ts";

/**
 * The switch itself, inside the caller's transaction: the council is served by the production
 * station from now on and is LIVE (the Nodo's routing cache picks it up within its TTL).
 */
export async function switchToLive(
  tx: Tx,
  goLive: { id: string; tenantId: string; testStationId: string; liveStationId: string; effectiveOn: Date },
  actor: Actor,
  now: Date,
): Promise<void> {
  await tx.tenant.update({ where: { id: goLive.tenantId }, data: { stationId: goLive.liveStationId, status: "LIVE" } });
  await tx.tenantGoLive.update({ where: { id: goLive.id }, data: { state: "DONE", switchedAt: now } });
  await recordAudit(tx, {
    tenantId: goLive.tenantId,
    actor,
    action: "tenant.go-live",
    entityType: "TenantGoLive",
    entityId: goLive.id,
    before: { status: "TEST", stationId: goLive.testStationId },
    after: { status: "LIVE", stationId: goLive.liveStationId },
  });
}
