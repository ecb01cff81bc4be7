// A receipt's follow-ups survive a Redis that comes back empty: the station queued them in Redis
// after the receipt committed; Redis loses the queue; PostgreSQL still says they are not done
// (no follow_ups_done_at), the sweep queues them again, the worker does them, the payer gets
// the e-mail exactly once, and further sweeps or a second run send nothing more.
import { inject } from "vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Worker } from "bullmq";
import { startMailCatcher, type MailCatcher } from "../../infra/mail-catcher/catcher.ts";
import type { Deps } from "../platform/deps.ts";
import { createPosition } from "../positions/create-position.ts";
import { registerReceipt } from "../positions/register-receipt.ts";
import { makeTenant } from "../test/factories.ts";
import { testDeps } from "../test/support.ts";
import type { Tenant } from "../generated/prisma/client.ts";
import { receiptRegisteredJob } from "./receipt-registered.job.ts";
import { sweepReceiptFollowUpsJob } from "./sweep-receipt-follow-ups.job.ts";

const IBAN = "IT60X0542811101000000123456";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("receipt follow-ups are durable: a sweep re-queues what an emptied Redis lost", () => {
  let catcher: MailCatcher;
  let deps: Deps;
  let tenant: Tenant;
  let workers: Worker[] = [];
  // A queue prefix of this file's own, so wiping it empties "Redis" for PontePA and no one else.
  const prefix = `${inject("queuePrefix")}-followups`;

  beforeAll(async () => {
    catcher = await startMailCatcher({ smtpPort: 0, httpPort: 0 });
    deps = testDeps({ SMTP_URL: `smtp://127.0.0.1:${catcher.smtpPort}`, QUEUE_PREFIX: prefix });
    tenant = await makeTenant(deps.db, { name: "Comune di Pietrasanta Alta" });
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.close()));
    await wipeRedis();
    await deps.close();
    await catcher.close();
  });

  async function wipeRedis() {
    const keys = await deps.redis.keys(`${prefix}:*`);
    if (keys.length) await deps.redis.del(...keys);
    return keys.length;
  }
  const sweep = (now: Date) =>
    sweepReceiptFollowUpsJob.handle({ now: now.toISOString(), tenantId: tenant.id }, deps, {} as never) as Promise<{
      found: number;
      added: number;
      retried: number;
      pending: number;
    }>;
  const receiptRow = (receiptId: string) =>
    deps.db.withTenant(tenant.id, (tx) =>
      tx.receipt.findUniqueOrThrow({
        where: { tenantId_receiptId: { tenantId: tenant.id, receiptId } },
        select: { followUpsDoneAt: true, emailSentAt: true },
      }),
    );
  const inbox = (to: string) => catcher.messages.filter((m) => m.to.includes(to));

  async function storeReceipt(email: string) {
    const created = await createPosition(
      deps.db,
      tenant,
      {
        debtor: { fiscalCode: "RSSMRA80A01H501U", name: "Mario Rossi" },
        subject: "Mensa scolastica",
        single: {
          amountCents: 2_500,
          dueDate: new Date("2026-12-31T10:00:00Z"),
          transfers: [{ iban: IBAN, amountCents: 2_500, taxonomyCode: "9/0101002IM/", remittanceText: "Mensa" }],
        },
      },
      { type: "staff", id: "durable-test" },
    );
    const option = created.options[0]!;
    const receiptId = `rcpt-durable-${option.iuv}`;
    // The station's follow-ups function, as the soap role gives it: queue the job in Redis.
    await registerReceipt(
      deps.db,
      tenant,
      {
        receiptId,
        nav: option.nav,
        noticeFiscalCode: tenant.fiscalCode,
        outcome: "OK",
        creditorReferenceId: option.iuv,
        amountCents: 2_500,
        feeCents: 100,
        pspId: "PSPTEST",
        standIn: false,
        paymentDateTime: new Date(),
        payer: { fiscalCode: "RSSMRA80A01H501U", name: "Mario Rossi", email },
        transfers: [
          {
            index: 1,
            amountCents: 2_500,
            fiscalCodePA: tenant.fiscalCode,
            iban: IBAN,
            remittanceText: "Mensa",
            category: "9/0101002IM/",
          },
        ],
      },
      async (event) => void (await deps.jobs.enqueue(receiptRegisteredJob, event)),
    );
    return receiptId;
  }

  async function runWorkerUntilDone(receiptId: string) {
    if (!workers.length) workers = deps.jobs.startWorkers(deps, 2);
    const end = Date.now() + 30_000;
    while (Date.now() < end) {
      if ((await receiptRow(receiptId)).followUpsDoneAt) return;
      await sleep(100);
    }
    throw new Error(`follow-ups of ${receiptId} not done within 30 s`);
  }

  it("a receipt whose queued follow-up Redis lost is followed up once, after the sweep", async () => {
    const receiptId = await storeReceipt("mensa@example.org");
    // Queued, not yet run (no worker yet), then Redis comes back empty.
    expect(await deps.redis.keys(`${prefix}:receipts:*`)).not.toEqual([]);
    expect(await wipeRedis()).toBeGreaterThan(0);
    expect(await receiptRow(receiptId)).toEqual({ followUpsDoneAt: null, emailSentAt: null });

    // Too young for the sweep (RECEIPT_FOLLOW_UP_SWEEP_MINUTES, 10 by default): left to its queue.
    expect(await sweep(new Date())).toMatchObject({ found: 0 });
    const later = new Date(Date.now() + (deps.config.RECEIPT_FOLLOW_UP_SWEEP_MINUTES + 1) * 60_000);
    expect(await sweep(later)).toMatchObject({ found: 1, added: 1 });
    // Swept twice before the worker runs: the same job id, not a second job.
    expect(await sweep(later)).toMatchObject({ found: 1, added: 0, pending: 1 });

    await runWorkerUntilDone(receiptId);
    await sleep(300);
    const row = await receiptRow(receiptId);
    expect(row.emailSentAt).not.toBeNull();
    expect(inbox("mensa@example.org")).toHaveLength(1);
    expect(await sweep(later)).toMatchObject({ found: 0 });
    process.stdout.write(
      `[follow-ups] lost with Redis: 1, re-queued by the sweep: 1, e-mails delivered: ${inbox("mensa@example.org").length}\n`,
    );
  });

  it("a follow-up run again (crash before the done mark, Redis emptied again) sends nothing twice", async () => {
    const receiptId = await storeReceipt("doppio@example.org");
    await runWorkerUntilDone(receiptId);
    await sleep(300);
    expect(inbox("doppio@example.org")).toHaveLength(1);

    // The worker died after the e-mail but before the done mark, and Redis lost its job too.
    await deps.db.withTenant(tenant.id, (tx) =>
      tx.receipt.updateMany({ where: { receiptId }, data: { followUpsDoneAt: null } }),
    );
    await wipeRedis();
    const later = new Date(Date.now() + (deps.config.RECEIPT_FOLLOW_UP_SWEEP_MINUTES + 1) * 60_000);
    expect(await sweep(later)).toMatchObject({ found: 1, added: 1 });
    await runWorkerUntilDone(receiptId);
    await sleep(300);
    expect(inbox("doppio@example.org")).toHaveLength(1);

    // A redelivered receipt queues its follow-ups again: done, so the job does nothing.
    const payload = { tenantId: tenant.id, receiptId, optionId: null, outcome: "OK" as const, standIn: false };
    await expect(receiptRegisteredJob.handle(payload, deps, {} as never)).resolves.toMatchObject({
      alreadyDone: true,
    });
    expect(inbox("doppio@example.org")).toHaveLength(1);
  });
});
