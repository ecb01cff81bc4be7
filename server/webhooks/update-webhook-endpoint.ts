import type { z } from "zod";
import type { Database } from "../platform/db/database.ts";
import { AppError, FormValidationError } from "../platform/errors.ts";
import { recordAudit, type Actor } from "../audit/index.ts";
import { endpointInputSchema, webhookUrlProblem } from "./endpoint.schema.ts";

/** What may change on an endpoint: any of its URL, description and events (the secret rotates apart). */
export const endpointChangeSchema = endpointInputSchema.partial();
export type EndpointChange = z.input<typeof endpointChangeSchema>;

/**
 * Changes an endpoint's URL, description or events. Deliveries already queued keep going to the
 * endpoint (to its new URL); a new event list applies to events raised from now on. The URL is
 * checked as at creation (https and no private address in production).
 * @throws FormValidationError per field, AppError NOT_FOUND
 */
export async function updateWebhookEndpoint(
  db: Database,
  tenantId: string,
  endpointId: string,
  change: EndpointChange,
  actor: Actor,
  options: { production: boolean; requestId?: string },
): Promise<void> {
  const parsed = endpointChangeSchema.safeParse(change);
  const errors: Record<string, string> = {};
  if (!parsed.success) for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
  const problem = parsed.success && parsed.data.url ? webhookUrlProblem(parsed.data.url, options.production) : null;
  if (problem) errors.url = problem;
  if (!parsed.success || problem) throw new FormValidationError(errors);
  const cmd = parsed.data;
  await db.withTenant(tenantId, async (tx) => {
    const found = await tx.webhookEndpoint.findUnique({ where: { tenantId_id: { tenantId, id: endpointId } } });
    if (!found) throw new AppError("NOT_FOUND", "Webhook non trovato", 404);
    const data = {
      ...(cmd.url !== undefined ? { url: cmd.url } : {}),
      ...(cmd.description !== undefined ? { description: cmd.description || null } : {}),
      ...(cmd.events !== undefined ? { events: [...new Set(cmd.events)] } : {}),
    };
    const updated = await tx.webhookEndpoint.update({ where: { tenantId_id: { tenantId, id: endpointId } }, data });
    await recordAudit(tx, {
      tenantId,
      actor,
      action: "webhook.update",
      entityType: "WebhookEndpoint",
      entityId: endpointId,
      before: { url: found.url, description: found.description, events: found.events },
      after: { url: updated.url, description: updated.description, events: updated.events },
      requestId: options.requestId,
    });
  });
}

/**
 * Removes an endpoint with its delivery log; the events themselves stay in the outbox (another
 * endpoint may want them, and a replay to a new endpoint can still send them).
 * @throws AppError NOT_FOUND
 */
export async function deleteWebhookEndpoint(
  db: Database,
  tenantId: string,
  endpointId: string,
  actor: Actor,
  options: { requestId?: string } = {},
): Promise<void> {
  await db.withTenant(tenantId, async (tx) => {
    const found = await tx.webhookEndpoint.findUnique({ where: { tenantId_id: { tenantId, id: endpointId } } });
    if (!found) throw new AppError("NOT_FOUND", "Webhook non trovato", 404);
    await tx.webhookEndpoint.delete({ where: { tenantId_id: { tenantId, id: endpointId } } });
    await recordAudit(tx, {
      tenantId,
      actor,
      action: "webhook.delete",
      entityType: "WebhookEndpoint",
      entityId: endpointId,
      before: { url: found.url, events: found.events },
      requestId: options.requestId,
    });
  });
}
