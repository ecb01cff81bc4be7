import { afterAll, describe, expect, it } from "vitest";
import { testDeps } from "../test/support.ts";
import { makeTenant } from "../test/factories.ts";
import { uuid7 } from "../platform/db/uuid7.ts";
import { purgeWebhookHistoryJob } from "./purge-webhook-history.job.ts";

describe("purge-webhook-history job", () => {
  const deps = testDeps({ WEBHOOK_RETENTION_DAYS: "30" });
  afterAll(() => deps.close());

  it("drops finished deliveries and spent events past the retention, keeping what is still owed", async () => {
    const tenant = await makeTenant(deps.db);
    const old = new Date("2027-01-01T00:00:00Z");
    const recent = new Date("2027-02-20T00:00:00Z");
    const now = "2027-03-01T00:00:00Z";
    const ids = await deps.db.withTenant(tenant.id, async (tx) => {
      const endpoint = await tx.webhookEndpoint.create({
        data: {
          tenantId: tenant.id,
          url: "https://x.example/h",
          events: ["position.created"],
          secret: "whsec_dGVzdA==",
        },
      });
      const event = (createdAt: Date) =>
        tx.outboxEvent.create({
          data: {
            id: uuid7(),
            tenantId: tenant.id,
            type: "position.created",
            payload: {},
            createdAt,
            relayedAt: createdAt,
          },
        });
      const [delivered, pending, fresh, lone] = [
        await event(old),
        await event(old),
        await event(recent),
        await event(old),
      ];
      const delivery = (eventId: string, status: "DELIVERED" | "PENDING", createdAt: Date) =>
        tx.webhookDelivery.create({
          data: {
            tenantId: tenant.id,
            endpointId: endpoint.id,
            eventId,
            eventType: "position.created",
            status,
            createdAt,
          },
        });
      const done = await delivery(delivered.id, "DELIVERED", old);
      await tx.webhookAttempt.create({
        data: { tenantId: tenant.id, deliveryId: done.id, attemptedAt: old, status: 200, latencyMs: 3 },
      });
      await delivery(pending.id, "PENDING", old);
      await delivery(fresh.id, "DELIVERED", recent);
      return { delivered: delivered.id, pending: pending.id, fresh: fresh.id, lone: lone.id };
    });

    await purgeWebhookHistoryJob.handle({ now }, deps, undefined as never);

    const left = await deps.db.withTenant(tenant.id, async (tx) => ({
      events: (await tx.outboxEvent.findMany({ where: { tenantId: tenant.id }, select: { id: true } })).map(
        (e) => e.id,
      ),
      deliveries: await tx.webhookDelivery.count({ where: { tenantId: tenant.id } }),
      attempts: await tx.webhookAttempt.count({ where: { tenantId: tenant.id } }),
    }));
    expect(left.events.sort()).toEqual([ids.pending, ids.fresh].sort());
    expect(left.deliveries).toBe(2);
    expect(left.attempts).toBe(0);
  });
});
