import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Deps } from "../platform/deps.ts";
import { GuardedHttp } from "../platform/http/guarded-http.ts";
import { makeTenant } from "../test/factories.ts";
import { testDeps } from "../test/support.ts";
import { apiCall, startApi, type RunningApi } from "../test/harness/api/api-server.ts";
import { TestReceiver } from "../test/harness/webhooks/test-receiver.ts";
import { runWebhookRelay, updateWebhookEndpoint, verifySignature } from "../webhooks/index.ts";
import { FormValidationError } from "../platform/errors.ts";
import type { Tenant } from "../generated/prisma/client.ts";

const IBAN = "IT60X0542811101000000123456";
const position = (externalId: string) => ({
  externalId,
  subject: "Mensa",
  debtor: { fiscalCode: "RSSMRA80A01H501U", name: "Mario Rossi" },
  single: {
    amountCents: 700,
    dueDate: "2027-05-31",
    transfers: [{ amountCents: 700, taxonomyCode: "9/0101002IM/", remittanceText: "Mensa", iban: IBAN }],
  },
});

describe("webhooks API: a council system changes, pauses, rotates and deletes its endpoints", () => {
  let deps: Deps;
  let api: RunningApi;
  let tenant: Tenant;
  let call: ReturnType<typeof apiCall>;
  let t: string;
  const clientId = `gestionale-${randomUUID()}`;
  const receiver = new TestReceiver();
  const http = new GuardedHttp({ blockPrivate: false, timeoutMs: 2_000 });
  const relay = () =>
    runWebhookRelay(
      { ...deps, http, mailer: { send: async () => undefined, close: () => undefined } },
      { now: () => new Date(), budgetMs: 5_000 },
    );

  beforeAll(async () => {
    deps = testDeps();
    tenant = await makeTenant(deps.db, { name: "Comune Webhook" });
    api = await startApi(deps);
    call = apiCall(api.base, await api.token({ clientId, ipa: tenant.ipaCode }));
    t = `/tenants/${tenant.ipaCode}`;
    await receiver.start();
  });
  afterAll(async () => {
    await receiver.stop();
    http.close();
    await api?.close();
    await deps?.close();
  });

  it("links the endpoint to its API client, changes its events, pauses and resumes it", async () => {
    const created = await call("POST", `${t}/webhooks`, { url: receiver.url, events: ["position.cancelled"] });
    expect(created.status).toBe(201);
    const id = created.json.id as string;
    const listed = await call("GET", `${t}/webhooks`);
    expect(listed.json.items).toEqual([expect.objectContaining({ id, apiClientId: clientId, paused: false })]);

    // Not subscribed to position.created yet: nothing is sent.
    await call("POST", `${t}/positions`, position(`W-${randomUUID()}`));
    await relay();
    expect(receiver.received).toHaveLength(0);

    const changed = await call("PATCH", `${t}/webhooks/${id}`, {
      events: ["position.created"],
      description: "Gestionale tributi",
      paused: true,
    });
    expect(changed.status, JSON.stringify(changed.json)).toBe(200);
    expect(changed.json).toMatchObject({
      events: ["position.created"],
      description: "Gestionale tributi",
      paused: true,
    });
    const second = await call("POST", `${t}/positions`, position(`W-${randomUUID()}`));
    await relay();
    expect(receiver.received).toHaveLength(0); // paused: the delivery waits

    const resumed = await call("PATCH", `${t}/webhooks/${id}`, { paused: false });
    expect(resumed.json).toMatchObject({ paused: false, pendingDeliveries: 1 });
    await relay();
    expect(receiver.received.map((r) => JSON.parse(r.body).data.positionId)).toEqual([second.json.id]);

    const audit = await deps.db.withTenant(tenant.id, (tx) =>
      tx.auditLog.findMany({ where: { tenantId: tenant.id, entityId: id }, orderBy: [{ at: "asc" }, { id: "asc" }] }),
    );
    expect(audit.map((a) => a.action)).toEqual(["webhook.create", "webhook.update", "webhook.pause", "webhook.resume"]);
    expect(audit.every((a) => a.actorId === clientId)).toBe(true);
  });

  it("refuses a bad change with its reason, and in production a private address", async () => {
    const { json } = await call("POST", `${t}/webhooks`, { url: receiver.url, events: ["position.paid"] });
    const bad = await call("PATCH", `${t}/webhooks/${json.id}`, { url: "ftp://x.example/" });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ code: "WEBHOOK_INVALID", detail: expect.stringContaining("http o https") });
    expect((await call("PATCH", `${t}/webhooks/${json.id}`, {})).status).toBe(400);
    for (const url of ["https://127.0.0.1/h", "https://10.2.3.4/h", "https://169.254.169.254/latest"])
      await expect(
        updateWebhookEndpoint(deps.db, tenant.id, json.id, { url }, { type: "system", id: "t" }, { production: true }),
        url,
      ).rejects.toBeInstanceOf(FormValidationError);
  });

  it("rotates the secret with overlap: deliveries carry both signatures until it ends", async () => {
    const created = await call("POST", `${t}/webhooks`, { url: receiver.url, events: ["position.updated"] });
    const { id, secret: oldSecret } = created.json as { id: string; secret: string };
    const rotated = await call("POST", `${t}/webhooks/${id}/rotate-secret`, { overlapHours: 2 });
    expect(rotated.status).toBe(200);
    expect(rotated.json.secret).not.toBe(oldSecret);
    const until = Date.parse(rotated.json.previousSecretUntil);
    expect(until - Date.now()).toBeGreaterThan(7_100_000);
    expect(until - Date.now()).toBeLessThan(7_300_000);

    const made = await call("POST", `${t}/positions`, position(`R-${randomUUID()}`));
    await call("PATCH", `${t}/positions/${made.json.id}`, { subject: "Mensa (rettifica)" });
    receiver.received.length = 0;
    await relay();
    const got = receiver.received.find((r) => JSON.parse(r.body).type === "position.updated")!;
    expect(got.signature.split(" ")).toHaveLength(2);
    expect(verifySignature(rotated.json.secret, got, got.body)).toBe(true);
    expect(verifySignature(oldSecret, got, got.body)).toBe(true);
  });

  it("deletes an endpoint with its delivery log (204, then 404); the events stay", async () => {
    const { json } = await call("POST", `${t}/webhooks`, { url: receiver.url, events: ["position.created"] });
    await call("POST", `${t}/positions`, position(`D-${randomUUID()}`));
    await relay();
    const deleted = await call("DELETE", `${t}/webhooks/${json.id}`);
    expect(deleted.status).toBe(204);
    expect((await call("DELETE", `${t}/webhooks/${json.id}`)).status).toBe(404);
    expect((await call("GET", `${t}/webhooks/${json.id}/deliveries`)).status).toBe(404);
    const left = await deps.db.withTenant(tenant.id, async (tx) => ({
      deliveries: await tx.webhookDelivery.count({ where: { endpointId: json.id } }),
      events: await tx.outboxEvent.count({ where: { tenantId: tenant.id } }),
    }));
    expect(left.deliveries).toBe(0);
    expect(left.events).toBeGreaterThan(0);
  });
});
