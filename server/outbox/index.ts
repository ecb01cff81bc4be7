export {
  OUTBOX_EVENT_TYPES,
  eventPayload,
  type OutboxEventType,
  type DomainEvent,
  type EventPayload,
} from "./event-types.ts";
export { emitEvent, emitEvents, outboxCall } from "./emit-event.ts";
