import { z } from "zod";
import type { Actor } from "../../audit/index.ts";
import { OUTBOX_EVENT_TYPES } from "../../outbox/index.ts";
import { AppError, FormValidationError } from "../../platform/errors.ts";
import type { WebhookEndpointRow } from "../../webhooks/index.ts";
import type { OperationContext } from "../operation.ts";
import { ipaParams, iso, isoDateTime } from "./common.ts";

export const actorOf = (ctx: OperationContext<unknown, unknown, unknown>): Actor => ({
  type: "machine",
  id: ctx.principal.clientId,
});
export const endpointParams = ipaParams.extend({ endpointId: z.uuid() });

export const endpointOut = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string().nullable(),
  events: z.array(z.string()),
  paused: z.boolean(),
  pausedAt: isoDateTime.nullable(),
  pausedReason: z.string().nullable(),
  consecutiveFailures: z.number().int(),
  pendingDeliveries: z.number().int(),
  /** The API client that created it (null: made in the back-office). */
  apiClientId: z.string().nullable(),
  previousSecretUntil: isoDateTime.nullable(),
  createdAt: isoDateTime,
});
export const endpointView = (e: WebhookEndpointRow & { pending?: number }) => ({
  id: e.id,
  url: e.url,
  description: e.description,
  events: e.events,
  paused: e.paused,
  pausedAt: iso(e.pausedAt),
  pausedReason: e.pausedReason,
  consecutiveFailures: e.consecutiveFailures,
  pendingDeliveries: e.pending ?? 0,
  apiClientId: e.apiClientId,
  previousSecretUntil: iso(e.previousSecretUntil),
  createdAt: e.createdAt.toISOString(),
});
export const endpointInput = z.object({
  url: z.string().max(2000),
  description: z.string().max(200).optional(),
  events: z.array(z.enum(OUTBOX_EVENT_TYPES)).min(1),
});
export const endpointChange = endpointInput
  .partial()
  .extend({ paused: z.boolean().optional() })
  .refine((c) => Object.values(c).some((v) => v !== undefined), "Nothing to change");

/** Validation errors of a use case as the API's 400 (field by field). */
export function asBadRequest(err: unknown): never {
  if (err instanceof FormValidationError)
    throw new AppError("WEBHOOK_INVALID", Object.values(err.fieldErrors).join("; "), 400, {
      errors: Object.entries(err.fieldErrors).map(([path, message]) => ({ path, message })),
    });
  throw err;
}
