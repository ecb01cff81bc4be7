import type { Tx } from "../platform/db/database.ts";

/** Position changes made through the use cases of this wave that council systems are told about. */
export interface PositionChange {
  tenantId: string;
  type: "position.updated" | "position.paid" | "position.partially_paid";
  positionId: string;
  at: Date;
  data: Record<string, unknown>;
}

/**
 * The seam for webhooks: every update and payment outside pagoPA calls this inside the
 * transaction that made the change. Once the outbox lands (server/outbox, `emitEvent(tx, event)`,
 * same event names), this body becomes `await emitEvent(tx, change)`, so the event commits or
 * rolls back with the change. Until then it does nothing.
 */
export async function positionChanged(_tx: Tx, _change: PositionChange): Promise<void> {}
