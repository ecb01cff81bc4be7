import type { Database } from "../platform/db/database.ts";
import { FormValidationError } from "../platform/errors.ts";
import { recordAudit, type Actor } from "../audit/index.ts";
import { endpointInputSchema, webhookUrlProblem, type EndpointInput } from "./endpoint.schema.ts";
import { generateSecret } from "./signature.ts";

/**
 * Adds a webhook endpoint to a council. The secret is returned here only (shown once); the
 * audit entry records the URL and events, never the secret. Made through the API, the endpoint
 * belongs to the API client that asked (`apiClientId`).
 * @throws FormValidationError per field
 */
export async function createWebhookEndpoint(
  db: Database,
  tenantId: string,
  input: EndpointInput,
  actor: Actor,
  options: { production: boolean; requestId?: string; apiClientId?: string },
): Promise<{ id: string; secret: string }> {
  const parsed = endpointInputSchema.safeParse(input);
  const errors: Record<string, string> = {};
  if (!parsed.success) for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
  const url = typeof input.url === "string" ? input.url.trim() : "";
  const problem = !errors.url && url ? webhookUrlProblem(url, options.production) : null;
  if (problem) errors.url = problem;
  if (!parsed.success || problem) throw new FormValidationError(errors);
  const secret = generateSecret();
  const cmd = parsed.data;
  return db.withTenant(tenantId, async (tx) => {
    const endpoint = await tx.webhookEndpoint.create({
      data: {
        tenantId,
        url: cmd.url,
        description: cmd.description || null,
        events: [...new Set(cmd.events)],
        secret,
        apiClientId: options.apiClientId ?? null,
      },
    });
    await recordAudit(tx, {
      tenantId,
      actor,
      action: "webhook.create",
      entityType: "WebhookEndpoint",
      entityId: endpoint.id,
      after: { url: endpoint.url, events: endpoint.events },
      requestId: options.requestId,
    });
    return { id: endpoint.id, secret };
  });
}
