import type { OutboxEventType } from "../../server/outbox/index.ts";

/** What each webhook event means, in the back-office's words. */
export const WEBHOOK_EVENT_LABELS: Record<OutboxEventType, string> = {
  "position.created": "Posizione creata",
  "position.updated": "Posizione modificata",
  "position.paid": "Posizione pagata",
  "position.partially_paid": "Posizione pagata in parte (rata)",
  "position.expired": "Posizione scaduta",
  "position.cancelled": "Posizione annullata",
  "receipt.stored": "Ricevuta registrata",
};

export const DELIVERY_STATUS_LABELS: Record<string, string> = {
  PENDING: "In attesa",
  DELIVERED: "Consegnato",
  FAILED: "Non consegnato",
};

export const WEBHOOK_LABELS = {
  url: "Indirizzo",
  description: "Descrizione",
  events: "Eventi",
  dal: "Dal giorno",
  al: "Al giorno",
  eventId: "Evento",
};
