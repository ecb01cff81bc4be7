import { z } from "zod";
import { AppError } from "../../platform/errors.ts";
import {
  deleteWebhookEndpoint,
  listWebhookEndpoints,
  rotateWebhookSecret,
  setWebhookPaused,
  updateWebhookEndpoint,
} from "../../webhooks/index.ts";
import type { Deps } from "../../platform/deps.ts";
import { defineOperation } from "../operation.ts";
import { isoDateTime } from "../schemas/common.ts";
import {
  actorOf,
  asBadRequest,
  endpointChange,
  endpointOut,
  endpointParams,
  endpointView,
} from "../schemas/webhooks.schema.ts";

const BASE = "/tenants/:ipa";

async function endpointNow(deps: Deps, tenantId: string, endpointId: string) {
  const found = (await listWebhookEndpoints(deps.db, tenantId)).find((e) => e.id === endpointId);
  if (!found) throw new AppError("NOT_FOUND", "Webhook non trovato", 404);
  return endpointView(found);
}

/**
 * Changing a council's webhook endpoints through the API: URL, description, events and pause in
 * one PATCH, removal, and secret rotation with overlap (the old secret keeps signing beside the
 * new one, so the council's system switches without losing a delivery). All need positions.write.
 */
export const webhookChangeOperations = [
  defineOperation({
    operationId: "updateWebhookEndpoint",
    method: "patch",
    path: `${BASE}/webhooks/:endpointId`,
    tag: "webhooks",
    role: "positions.write",
    summary: { it: "Modifica un webhook", en: "Change a webhook endpoint" },
    description: {
      it: "Indirizzo, descrizione, eventi e sospensione (`paused`). Riattivato, le consegne in attesa partono subito.",
      en: "URL, description, events and pause (`paused`). Resumed, waiting deliveries are due at once.",
    },
    params: endpointParams,
    body: endpointChange,
    example: { events: ["position.paid", "receipt.stored", "position.cancelled"], paused: false },
    responses: {
      200: { description: { it: "Il webhook modificato", en: "The changed endpoint" }, schema: endpointOut },
    },
    async handle(ctx) {
      const { paused, ...change } = ctx.body;
      const { tenant, params } = ctx;
      const options = { production: ctx.deps.config.NODE_ENV === "production", requestId: ctx.requestId };
      if (Object.values(change).some((v) => v !== undefined))
        await updateWebhookEndpoint(ctx.deps.db, tenant.id, params.endpointId, change, actorOf(ctx), options).catch(
          asBadRequest,
        );
      if (paused !== undefined)
        await setWebhookPaused(ctx.deps.db, tenant.id, params.endpointId, paused, actorOf(ctx), {
          requestId: ctx.requestId,
        });
      return { status: 200, body: await endpointNow(ctx.deps, tenant.id, params.endpointId) };
    },
  }),
  defineOperation({
    operationId: "deleteWebhookEndpoint",
    method: "delete",
    path: `${BASE}/webhooks/:endpointId`,
    tag: "webhooks",
    role: "positions.write",
    summary: { it: "Elimina un webhook", en: "Delete a webhook endpoint" },
    description: {
      it: "Con il suo registro delle consegne; gli eventi restano e possono essere reinviati ad altri webhook.",
      en: "With its delivery log; the events stay and can be replayed to other endpoints.",
    },
    params: endpointParams,
    responses: { 204: { description: { it: "Eliminato", en: "Deleted" } } },
    async handle(ctx) {
      await deleteWebhookEndpoint(ctx.deps.db, ctx.tenant.id, ctx.params.endpointId, actorOf(ctx), {
        requestId: ctx.requestId,
      });
      return { status: 204, body: null };
    },
  }),
  defineOperation({
    operationId: "rotateWebhookSecret",
    method: "post",
    path: `${BASE}/webhooks/:endpointId/rotate-secret`,
    tag: "webhooks",
    role: "positions.write",
    summary: { it: "Rinnova il segreto di firma", en: "Rotate the signing secret" },
    description: {
      it: "Il nuovo segreto è restituito solo in questa risposta. Fino a `previousSecretUntil` ogni consegna porta due firme in `webhook-signature` (vecchio e nuovo segreto).",
      en: "The new secret is returned in this answer only. Until `previousSecretUntil` every delivery carries two signatures in `webhook-signature` (old and new secret).",
    },
    params: endpointParams,
    body: z.object({ overlapHours: z.number().int().min(0).max(720).optional() }),
    example: { overlapHours: 24 },
    responses: {
      200: {
        description: { it: "Il nuovo segreto, mostrato una volta", en: "The new secret, shown once" },
        schema: z.object({ secret: z.string(), previousSecretUntil: isoDateTime }),
      },
    },
    async handle(ctx) {
      const rotated = await rotateWebhookSecret(ctx.deps.db, ctx.tenant.id, ctx.params.endpointId, actorOf(ctx), {
        overlapHours: ctx.body.overlapHours ?? ctx.deps.config.WEBHOOK_SECRET_OVERLAP_HOURS,
        requestId: ctx.requestId,
      });
      return {
        status: 200,
        body: { secret: rotated.secret, previousSecretUntil: rotated.previousSecretUntil.toISOString() },
      };
    },
  }),
];
