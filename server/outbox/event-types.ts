/**
 * Every event the outbox carries, in one place: what writers may emit, what a webhook endpoint
 * may subscribe to, and what the back-office labels in Italian (web/backoffice/webhook-labels.ts).
 */
export const OUTBOX_EVENT_TYPES = [
  "position.created",
  "position.updated",
  "position.paid",
  "position.partially_paid",
  "position.expired",
  "position.cancelled",
  "receipt.stored",
] as const;

export type OutboxEventType = (typeof OUTBOX_EVENT_TYPES)[number];

/** A change to tell council systems about, as its writer describes it. */
export interface DomainEvent {
  tenantId: string;
  type: OutboxEventType;
  /** The position the event is about: deliveries to one endpoint keep their order per position. */
  positionId?: string | null;
  data: Record<string, unknown>;
  at?: Date;
}

/** The body a webhook carries (Standard Webhooks' recommended shape). */
export interface EventPayload {
  type: OutboxEventType;
  timestamp: string;
  data: Record<string, unknown>;
}

export function eventPayload(event: DomainEvent): EventPayload {
  return { type: event.type, timestamp: (event.at ?? new Date()).toISOString(), data: event.data };
}
