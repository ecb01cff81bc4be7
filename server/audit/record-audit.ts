import type { Tx } from "../platform/db/database.ts";

export interface Actor {
  type: "staff" | "citizen" | "system" | "machine" | "nodo";
  id: string;
}

export interface AuditEntry {
  tenantId: string | null;
  actor: Actor;
  action: string;
  entityType: string;
  entityId?: string;
  before?: unknown;
  after?: unknown;
  requestId?: string;
}

const json = (value: unknown) => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));

/**
 * Appends one entry to the audit log inside the caller's transaction, so the change and its
 * record commit or roll back together. The table refuses UPDATE and DELETE.
 */
export async function recordAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  await tx.auditLog.create({
    data: {
      tenantId: entry.tenantId,
      actorType: entry.actor.type,
      actorId: entry.actor.id,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId ?? null,
      before: json(entry.before),
      after: json(entry.after),
      requestId: entry.requestId ?? null,
    },
  });
}
