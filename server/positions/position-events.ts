import type { Tx } from "../platform/db/database.ts";
import { emitEvent, type DomainEvent } from "../outbox/index.ts";
import type { CreatedPosition } from "./create-position.ts";

/** Position changes made through the use cases of this wave that council systems are told about. */
export interface PositionChange {
  tenantId: string;
  type: "position.updated" | "position.paid" | "position.partially_paid";
  positionId: string;
  at: Date;
  data: Record<string, unknown>;
}

/**
 * Every update and payment outside pagoPA calls this inside the transaction that made the
 * change: the event goes to the outbox there, so it commits or rolls back with the change.
 */
export async function positionChanged(tx: Tx, change: PositionChange): Promise<void> {
  await emitEvent(tx, change);
}

/** The `position.created` event of a new position, the same from one create or a batch. */
export function positionCreatedEvent(
  tenantId: string,
  position: CreatedPosition & { externalId: string | null },
  at: Date,
): DomainEvent {
  return {
    tenantId,
    type: "position.created",
    positionId: position.id,
    at,
    data: {
      positionId: position.id,
      iupd: position.iupd,
      externalId: position.externalId,
      status: position.status,
      options: position.options.map((o) => ({
        nav: o.nav,
        iuv: o.iuv,
        amountCents: o.amountCents,
        dueDate: o.dueDate.toISOString(),
        installmentNumber: o.installmentNumber,
      })),
    },
  };
}
