import { spawn } from "node:child_process";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { testDeps } from "../test/support.ts";
import { makeTenant } from "../test/factories.ts";
import { TestReceiver } from "../test/harness/webhooks/test-receiver.ts";
import { cancelPosition, createPosition } from "../positions/index.ts";
import { GuardedHttp } from "../platform/http/guarded-http.ts";
import type { OutgoingMail } from "../platform/mail/mailer.ts";
import type { Tenant } from "../generated/prisma/client.ts";
import { createWebhookEndpoint } from "./create-webhook-endpoint.ts";
import { replayWebhookEvents } from "./replay-webhook-events.ts";
import { rotateWebhookSecret } from "./rotate-webhook-secret.ts";
import { runWebhookRelay, type RelayDeps } from "./run-webhook-relay.ts";
import { setWebhookPaused } from "./set-webhook-paused.ts";
import { verifySignature } from "./signature.ts";

const actor = { type: "staff" as const, id: "admin-test" };
const transfer = {
  iban: "IT60X0542811101000000123456",
  amountCents: 900,
  taxonomyCode: "9/0101002IM/",
  remittanceText: "x",
};
const positionInput = {
  debtor: { fiscalCode: "RSSMRA80A01H501U", name: "Mario Rossi" },
  subject: "Webhook",
  single: { amountCents: 900, dueDate: new Date("2027-05-01"), transfers: [transfer] },
};

describe("webhook relay", () => {
  const deps = testDeps({ WEBHOOK_PAUSE_AFTER_FAILURES: "3" });
  const http = new GuardedHttp({ blockPrivate: false, timeoutMs: 2_000 });
  const mails: OutgoingMail[] = [];
  const relayDeps: RelayDeps = {
    ...deps,
    http,
    mailer: { send: async (m) => void mails.push(m), close: () => undefined },
  };
  const receiver = new TestReceiver();
  let tenant: Tenant;
  let endpoint: { id: string; secret: string };
  /** The relay as the worker runs it, `ahead` ms in the future (retries and leases come due). */
  const relay = (ahead = 0) => runWebhookRelay(relayDeps, { now: () => new Date(Date.now() + ahead), budgetMs: 5_000 });
  const eventIds = (positionId: string) =>
    deps.db
      .withTenant(tenant.id, (tx) => tx.outboxEvent.findMany({ where: { positionId }, orderBy: { id: "asc" } }))
      .then((rows) => rows.map((r) => r.id));

  beforeAll(async () => {
    await receiver.start();
  });
  beforeEach(async () => {
    tenant = await makeTenant(deps.db);
    endpoint = await createWebhookEndpoint(
      deps.db,
      tenant.id,
      { url: receiver.url, events: ["position.created", "position.cancelled"] },
      actor,
      { production: false },
    );
    receiver.respond = () => 200;
    await relay(); // fan out and send whatever earlier tests left, so each starts clean
    receiver.received.length = 0;
  });
  afterAll(async () => {
    await receiver.stop();
    http.close();
    await deps.close();
  });

  it("delivers a position event once, signed, with the outbox event's id", async () => {
    const position = await createPosition(deps.db, tenant, positionInput, actor);
    const stats = await relay();
    expect(stats.delivered).toBe(1);
    await relay();
    const [id] = await eventIds(position.id);
    expect(receiver.received).toHaveLength(1);
    const got = receiver.received[0]!;
    expect(got.id).toBe(id);
    expect(verifySignature(endpoint.secret, got, got.body)).toBe(true);
    expect(JSON.parse(got.body)).toMatchObject({ type: "position.created", data: { positionId: position.id } });
    const delivery = await deps.db.withTenant(tenant.id, (tx) =>
      tx.webhookDelivery.findFirstOrThrow({ where: { eventId: id }, include: { attemptLog: true } }),
    );
    expect(delivery).toMatchObject({ status: "DELIVERED", attempts: 1, lastStatus: 200 });
    expect(delivery.attemptLog[0]).toMatchObject({ status: 200, responseExcerpt: "ricevuto 200" });
  });

  it("retries while the receiver is down and delivers once it is back", async () => {
    await receiver.stop();
    const position = await createPosition(deps.db, tenant, positionInput, actor);
    const down = await relay();
    expect(down).toMatchObject({ delivered: 0, failed: 1 });
    const [id] = await eventIds(position.id);
    const pending = await deps.db.withTenant(tenant.id, (tx) =>
      tx.webhookDelivery.findFirstOrThrow({ where: { eventId: id } }),
    );
    expect(pending.status).toBe("PENDING");
    expect(pending.lastError).toMatch(/ECONNREFUSED/);
    expect(pending.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
    expect((await relay()).delivered).toBe(0); // not due yet: back-off

    await receiver.start();
    expect((await relay(60_000)).delivered).toBe(1);
    expect(receiver.acknowledged(id!)).toBe(1);
    const log = await deps.db.withTenant(tenant.id, (tx) =>
      tx.webhookAttempt.count({ where: { deliveryId: pending.id } }),
    );
    expect(log).toBe(2);
  });

  it("loses nothing when the worker is killed between commit and delivery", async () => {
    const position = await createPosition(deps.db, tenant, positionInput, actor);
    const [id] = await eventIds(position.id);
    // The first worker's request reaches the receiver, which does not answer; then it is killed.
    receiver.respond = () => "hang";
    const child = spawn("node_modules/.bin/tsx", ["server/test/harness/webhooks/relay-child.ts"], {
      env: { ...process.env, DATABASE_URL: inject("databaseUrl") },
      stdio: "ignore",
    });
    const deadline = Date.now() + 20_000;
    while (!receiver.received.some((r) => r.id === id) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(receiver.received.some((r) => r.id === id)).toBe(true);
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));

    receiver.respond = () => 200;
    expect((await relay()).delivered).toBe(0); // still leased by the dead worker
    expect((await relay(60_000)).delivered).toBe(1); // the lease ran out: sent again
    expect(receiver.acknowledged(id!)).toBe(1);
    expect((await relay(120_000)).delivered).toBe(0);
    const delivery = await deps.db.withTenant(tenant.id, (tx) =>
      tx.webhookDelivery.findFirstOrThrow({ where: { eventId: id } }),
    );
    expect(delivery).toMatchObject({ status: "DELIVERED", attempts: 2 });
  }, 40_000);

  it("keeps per-position order: a later event waits for the earlier one's delivery", async () => {
    const position = await createPosition(deps.db, tenant, positionInput, actor);
    await cancelPosition(deps.db, tenant.id, position.id, "emessa per errore", actor);
    const [created, cancelled] = await eventIds(position.id);
    let failFirst = true;
    receiver.respond = (r) => (r.id === created && failFirst ? ((failFirst = false), 503) : 200);
    await relay();
    expect(receiver.received.map((r) => r.id)).toEqual([created]);
    await relay(60_000);
    expect(receiver.received.map((r) => r.id)).toEqual([created, created, cancelled]);
  });

  it("replays an event with the same id, and signs with both secrets after a rotation", async () => {
    const position = await createPosition(deps.db, tenant, positionInput, actor);
    await relay();
    const [id] = await eventIds(position.id);
    const rotated = await rotateWebhookSecret(deps.db, tenant.id, endpoint.id, actor, { overlapHours: 24 });
    expect(await replayWebhookEvents(deps.db, tenant.id, endpoint.id, { eventId: id! }, actor)).toBe(1);
    await relay();
    expect(receiver.acknowledged(id!)).toBe(2);
    const replayed = receiver.received.at(-1)!;
    expect(replayed.signature.split(" ")).toHaveLength(2);
    expect(verifySignature(rotated.secret, replayed, replayed.body)).toBe(true);
    expect(verifySignature(endpoint.secret, replayed, replayed.body)).toBe(true);

    const range = { from: new Date(Date.now() - 3_600_000), to: new Date(Date.now() + 60_000) };
    expect(await replayWebhookEvents(deps.db, tenant.id, endpoint.id, range, actor)).toBe(1);
    await relay();
    expect(receiver.acknowledged(id!)).toBe(3);
  });

  it("pauses an endpoint after repeated failures, e-mails the council's admins, and resumes", async () => {
    const admin = await deps.db.client.staffUser.create({
      data: { subject: `admin-${tenant.id}`, email: `admin-${tenant.ipaCode}@comune.example` },
    });
    await deps.db.withTenant(tenant.id, (tx) =>
      tx.membership.create({ data: { tenantId: tenant.id, userId: admin.id, role: "TENANT_ADMIN" } }),
    );
    receiver.respond = () => 500;
    const position = await createPosition(deps.db, tenant, positionInput, actor);
    const [id] = await eventIds(position.id);
    mails.length = 0;
    for (let minutes = 0; minutes < 5; minutes++) await relay(minutes * 3_600_000);
    const paused = await deps.db.withTenant(tenant.id, (tx) =>
      tx.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } }),
    );
    expect(paused).toMatchObject({ paused: true, consecutiveFailures: 3 });
    expect(receiver.received.filter((r) => r.id === id)).toHaveLength(3);
    expect(mails.map((m) => m.to)).toEqual([`admin-${tenant.ipaCode}@comune.example`]);
    expect(mails[0]!.subject).toContain("Webhook sospeso");

    receiver.respond = () => 200;
    await setWebhookPaused(deps.db, tenant.id, endpoint.id, false, actor);
    await relay();
    expect(receiver.acknowledged(id!)).toBe(1);
  });
});
