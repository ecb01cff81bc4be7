import type { DomainEvent } from "../outbox/index.ts";
import type { CreatedPosition } from "./create-position.ts";

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
