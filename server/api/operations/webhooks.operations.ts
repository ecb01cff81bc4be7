import { z } from "zod";
import {
  createWebhookEndpoint,
  getWebhookDeliveryLog,
  listWebhookEndpoints,
  replayWebhookEvents,
  type WebhookEndpointRow,
} from "../../webhooks/index.ts";
import { defineOperation } from "../operation.ts";
import { ipaParams, iso, isoDateTime } from "../schemas/common.ts";
import {
  actorOf,
  asBadRequest,
  endpointInput,
  endpointOut,
  endpointParams,
  endpointView,
} from "../schemas/webhooks.schema.ts";

const BASE = "/tenants/:ipa";

const deliveryOut = z.object({
  id: z.string(),
  eventId: z.string(),
  eventType: z.string(),
  status: z.string(),
  attempts: z.array(
    z.object({
      attemptedAt: isoDateTime,
      status: z.number().int().nullable(),
      latencyMs: z.number().int(),
      error: z.string().nullable(),
      responseExcerpt: z.string().nullable(),
    }),
  ),
  deliveredAt: isoDateTime.nullable(),
  createdAt: isoDateTime,
});
const replayInput = z.union([z.object({ eventId: z.uuid() }), z.object({ from: isoDateTime, to: isoDateTime })]);

/**
 * The council's webhooks through the API: its endpoints (list, create), each one's delivery log,
 * and replay of one event or of a time range (the same event ids again). Reading needs
 * positions.read; creating and replaying positions.write (the role a council's system already
 * needs to change what the events are about).
 */
export const webhookOperations = [
  defineOperation({
    operationId: "listWebhookEndpoints",
    method: "get",
    path: `${BASE}/webhooks`,
    tag: "webhooks",
    role: "positions.read",
    summary: { it: "Webhook dell'ente", en: "The council's webhook endpoints" },
    params: ipaParams,
    responses: {
      200: {
        description: { it: "Gli endpoint, senza i segreti", en: "The endpoints, without their secrets" },
        schema: z.object({ items: z.array(endpointOut) }),
      },
    },
    async handle(ctx) {
      const rows = await listWebhookEndpoints(ctx.deps.db, ctx.tenant.id);
      return { status: 200, body: { items: rows.map(endpointView) } };
    },
  }),
  defineOperation({
    operationId: "createWebhookEndpoint",
    method: "post",
    path: `${BASE}/webhooks`,
    tag: "webhooks",
    role: "positions.write",
    summary: { it: "Aggiunge un webhook", en: "Add a webhook endpoint" },
    description: {
      it: "Il segreto di firma (Standard Webhooks) è restituito solo in questa risposta.",
      en: "The signing secret (Standard Webhooks) is returned in this answer only.",
    },
    params: ipaParams,
    body: endpointInput,
    example: { url: "https://tributi.comune.example/pontepa/eventi", events: ["position.paid", "receipt.stored"] },
    responses: {
      201: {
        description: { it: "Creato; il segreto è mostrato una volta", en: "Created; the secret is shown once" },
        schema: z.object({ id: z.string(), secret: z.string() }),
      },
    },
    async handle(ctx) {
      const created = await createWebhookEndpoint(ctx.deps.db, ctx.tenant.id, ctx.body, actorOf(ctx), {
        production: ctx.deps.config.NODE_ENV === "production",
        requestId: ctx.requestId,
        apiClientId: ctx.principal.clientId,
      }).catch(asBadRequest);
      return { status: 201, body: created };
    },
  }),
  defineOperation({
    operationId: "listWebhookDeliveries",
    method: "get",
    path: `${BASE}/webhooks/:endpointId/deliveries`,
    tag: "webhooks",
    role: "positions.read",
    summary: { it: "Registro delle consegne di un webhook", en: "Delivery log of an endpoint" },
    params: endpointParams,
    responses: {
      200: {
        description: { it: "Le ultime consegne, dalla più recente", en: "The latest deliveries, newest first" },
        schema: z.object({ endpoint: endpointOut, deliveries: z.array(deliveryOut) }),
      },
    },
    async handle(ctx) {
      const { endpoint, deliveries } = await getWebhookDeliveryLog(ctx.deps.db, ctx.tenant.id, ctx.params.endpointId);
      return {
        status: 200,
        body: {
          endpoint: endpointView(endpoint as WebhookEndpointRow),
          deliveries: deliveries.map((d) => ({
            id: d.id,
            eventId: d.eventId,
            eventType: d.eventType,
            status: d.status,
            attempts: d.attemptLog.map((a) => ({
              attemptedAt: a.attemptedAt.toISOString(),
              status: a.status,
              latencyMs: a.latencyMs,
              error: a.error,
              responseExcerpt: a.responseExcerpt,
            })),
            deliveredAt: iso(d.deliveredAt),
            createdAt: d.createdAt.toISOString(),
          })),
        },
      };
    },
  }),
  defineOperation({
    operationId: "replayWebhookEvents",
    method: "post",
    path: `${BASE}/webhooks/:endpointId/replay`,
    tag: "webhooks",
    role: "positions.write",
    summary: { it: "Reinvia un evento o un intervallo di tempo", en: "Replay one event or a time range" },
    description: {
      it: "Ogni evento è inviato di nuovo con lo stesso identificativo (`webhook-id`). Al massimo 7 giorni per volta.",
      en: "Each event is sent again with the same id (`webhook-id`). At most 7 days at a time.",
    },
    params: endpointParams,
    body: replayInput,
    example: { from: "2026-12-01T00:00:00+01:00", to: "2026-12-02T00:00:00+01:00" },
    responses: {
      202: {
        description: { it: "Eventi accodati per il reinvio", en: "Events queued again" },
        schema: z.object({ replayed: z.number().int() }),
      },
    },
    async handle(ctx) {
      const replayed = await replayWebhookEvents(
        ctx.deps.db,
        ctx.tenant.id,
        ctx.params.endpointId,
        ctx.body,
        actorOf(ctx),
        {
          requestId: ctx.requestId,
        },
      );
      return { status: 202, body: { replayed } };
    },
  }),
];
