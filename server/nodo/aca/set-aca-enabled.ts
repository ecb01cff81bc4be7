import { recordAudit, type Actor } from "../../audit/index.ts";
import type { Database } from "../../platform/db/database.ts";
import { markAllOfTenant } from "./aca.repository.ts";

/**
 * The per-council switch of the Stand-In alignment (audited). Turning it on marks every payable
 * position of the council pending, so the archive learns what existed before the switch; turning
 * it off stops the calls (what the archive holds stays until pagoPA's own expiry).
 */
export async function setAcaEnabled(
  db: Database,
  tenantId: string,
  enabled: boolean,
  actor: Actor,
): Promise<{ enabled: boolean; marked: number }> {
  return db.withTenant(tenantId, async (tx) => {
    const before = await tx.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { acaEnabled: true } });
    if (before.acaEnabled === enabled) return { enabled, marked: 0 };
    await tx.tenant.update({ where: { id: tenantId }, data: { acaEnabled: enabled } });
    const marked = enabled ? await markAllOfTenant(tx, tenantId) : 0;
    await recordAudit(tx, {
      tenantId,
      actor,
      action: "tenant.aca-switch",
      entityType: "Tenant",
      entityId: tenantId,
      before: { acaEnabled: before.acaEnabled },
      after: { acaEnabled: enabled },
    });
    return { enabled, marked };
  });
}

/** The council's alignment at a glance, for the back-office: switch, pending, failing, last sync. */
export async function acaStatus(db: Database, tenantId: string) {
  return db.withTenant(tenantId, async (tx) => {
    const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { acaEnabled: true } });
    const [pending, failing, aligned, last] = await Promise.all([
      tx.acaSync.count({ where: { tenantId, pending: true } }),
      tx.acaSync.count({ where: { tenantId, pending: true, lastError: { not: null } } }),
      tx.acaSync.count({ where: { tenantId, pending: false, remoteState: "VALID" } }),
      tx.acaSync.findFirst({ where: { tenantId, syncedAt: { not: null } }, orderBy: { syncedAt: "desc" } }),
    ]);
    return { enabled: tenant.acaEnabled, pending, failing, aligned, lastSyncedAt: last?.syncedAt ?? null };
  });
}
