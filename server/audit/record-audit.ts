import type { Tx } from "../platform/db/database.ts";
import type { Call, Statement } from "../platform/db/fast-sql.ts";
import { uuid7 } from "../platform/db/uuid7.ts";
import { insertUnnest } from "../platform/db/insert-unnest.ts";
import type { AnyTx } from "../platform/db/raw-sql.ts";
import type { AuditAction } from "./audit-actions.ts";

export interface Actor {
  type: "staff" | "citizen" | "system" | "machine" | "nodo";
  id: string;
}

export interface AuditEntry {
  tenantId: string | null;
  actor: Actor;
  action: AuditAction;
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

/** Many entries in one statement (bulk imports: one `position.create` per position). */
export async function recordAuditMany(tx: AnyTx, entries: AuditEntry[]): Promise<void> {
  await insertUnnest(
    tx,
    "audit_log",
    AUDIT_COLUMNS,
    entries.map((e) => [
      uuid7(),
      e.tenantId,
      e.actor.type,
      e.actor.id,
      e.action,
      e.entityType,
      e.entityId ?? null,
      e.before === undefined ? null : e.before,
      e.after === undefined ? null : e.after,
      e.requestId ?? null,
    ]),
  );
}
const AUDIT_COLUMNS = [
  ["id", "uuid"],
  ["tenant_id", "uuid"],
  ["actor_type", "text"],
  ["actor_id", "text"],
  ["action", "text"],
  ["entity_type", "text"],
  ["entity_id", "text"],
  ["before", "jsonb"],
  ["after", "jsonb"],
  ["request_id", "text"],
] as const;

// The same row on the station's pg path (docs/decisions/0004), for units of work that do not use Prisma.
const INSERT_AUDIT: Statement = {
  name: "audit.insert.v1",
  text: `INSERT INTO audit_log (id, tenant_id, actor_type, actor_id, action, entity_type, entity_id, before, after, request_id)
         VALUES ($1::uuid, $2::uuid, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10)`,
};

/** The audit entry as a call, written in the same transaction (the table refuses UPDATE/DELETE). */
export function auditCall(entry: AuditEntry): Call {
  return [
    INSERT_AUDIT,
    [
      uuid7(),
      entry.tenantId,
      entry.actor.type,
      entry.actor.id,
      entry.action,
      entry.entityType,
      entry.entityId ?? null,
      entry.before ?? null,
      entry.after ?? null,
      entry.requestId ?? null,
    ],
  ];
}
