import type { Tx } from "../platform/db/database.ts";
import { insertUnnest } from "../platform/db/insert-unnest.ts";
import type { AnyTx } from "../platform/db/raw-sql.ts";
import type { Call, Statement } from "../platform/db/fast-sql.ts";
import { uuid7 } from "../platform/db/uuid7.ts";
import { eventPayload, type DomainEvent } from "./event-types.ts";

const json = (value: unknown) => JSON.parse(JSON.stringify(value)) as object;

/**
 * Writes an event to the outbox inside the caller's transaction, so the change and the event
 * commit or roll back together (a crash after commit loses nothing: the relay finds the row).
 * Returns the event id, the stable id every delivery and replay of it carries.
 */
export async function emitEvent(tx: Tx, event: DomainEvent): Promise<string> {
  const id = uuid7();
  await tx.outboxEvent.create({
    data: {
      id,
      tenantId: event.tenantId,
      type: event.type,
      positionId: event.positionId ?? null,
      payload: json(eventPayload(event)),
    },
  });
  return id;
}

/**
 * Several events in one `INSERT … SELECT FROM unnest` (a scheduler's bulk change, a batch of
 * positions), in a Prisma or a pg transaction: no ORM work per event.
 */
export async function emitEvents(tx: AnyTx, events: readonly DomainEvent[]): Promise<void> {
  await insertUnnest(
    tx,
    "outbox_events",
    EVENT_COLUMNS,
    events.map((event) => [uuid7(), event.tenantId, event.type, event.positionId ?? null, eventPayload(event)]),
  );
}
const EVENT_COLUMNS = [
  ["id", "uuid"],
  ["tenant_id", "uuid"],
  ["type", "text"],
  ["position_id", "uuid"],
  ["payload", "jsonb"],
] as const;

// The same row on the station's pg path (docs/decisions/0004), for units of work without Prisma.
const INSERT_EVENT: Statement = {
  name: "outbox.insert.v1",
  text: `INSERT INTO outbox_events (id, tenant_id, type, position_id, payload)
         VALUES ($1::uuid, $2::uuid, $3, $4::uuid, $5::jsonb)`,
};

/** The event as a call, sent in the caller's unit of work (e.g. with the receipt's COMMIT). */
export function outboxCall(event: DomainEvent): Call {
  return [INSERT_EVENT, [uuid7(), event.tenantId, event.type, event.positionId ?? null, eventPayload(event)]];
}
