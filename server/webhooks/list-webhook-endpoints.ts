import type { Database } from "../platform/db/database.ts";
import { AppError } from "../platform/errors.ts";

export interface WebhookEndpointRow {
  id: string;
  url: string;
  description: string | null;
  events: string[];
  paused: boolean;
  pausedAt: Date | null;
  pausedReason: string | null;
  consecutiveFailures: number;
  previousSecretUntil: Date | null;
  apiClientId: string | null;
  createdAt: Date;
  pending: number;
}

const endpointSelect = {
  id: true,
  url: true,
  description: true,
  events: true,
  paused: true,
  pausedAt: true,
  pausedReason: true,
  consecutiveFailures: true,
  previousSecretUntil: true,
  apiClientId: true,
  createdAt: true,
} as const;

/** A council's endpoints (never their secrets), with how many deliveries wait for each. */
export async function listWebhookEndpoints(db: Database, tenantId: string): Promise<WebhookEndpointRow[]> {
  return db.withTenant(tenantId, async (tx) => {
    const endpoints = await tx.webhookEndpoint.findMany({
      where: { tenantId },
      select: endpointSelect,
      orderBy: { createdAt: "asc" },
    });
    const pending = await tx.webhookDelivery.groupBy({
      by: ["endpointId"],
      where: { tenantId, status: "PENDING" },
      _count: { _all: true },
    });
    const count = new Map(pending.map((p) => [p.endpointId, p._count._all]));
    return endpoints.map((e) => ({ ...e, pending: count.get(e.id) ?? 0 }));
  });
}

export const DELIVERY_LOG_SIZE = 50;

/**
 * One endpoint and its delivery log, newest first: each delivery with its event, status and
 * attempts (HTTP status, latency, an excerpt of the answer or the error).
 * @throws AppError NOT_FOUND
 */
export async function getWebhookDeliveryLog(db: Database, tenantId: string, endpointId: string) {
  return db.withTenant(tenantId, async (tx) => {
    const endpoint = await tx.webhookEndpoint.findUnique({
      where: { tenantId_id: { tenantId, id: endpointId } },
      select: endpointSelect,
    });
    if (!endpoint) throw new AppError("NOT_FOUND", "Webhook non trovato", 404);
    const deliveries = await tx.webhookDelivery.findMany({
      where: { tenantId, endpointId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: DELIVERY_LOG_SIZE,
      include: { attemptLog: { orderBy: { attemptedAt: "asc" } } },
    });
    return { endpoint, deliveries };
  });
}
