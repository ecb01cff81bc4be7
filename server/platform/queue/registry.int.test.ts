import { afterAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { Redis } from "ioredis";
import { Queue, QueueEvents } from "bullmq";
import { z } from "zod";
import { JobRegistry, JobRegistryError } from "./registry.ts";
import { defineJob, type JobContext } from "./job.ts";
import { createLogger } from "../observability/logger.ts";

const redis = new Redis(inject("redisUrl"), { maxRetriesPerRequest: null });
const prefix = `${inject("queuePrefix")}-registry`;
afterAll(() => redis.disconnect());

// The handlers here use nothing but the logger of their context.
const ctx = { logger: createLogger({ level: "silent", role: "test" }) } as JobContext;

function echoJob(seen: unknown[]) {
  return defineJob({
    queue: "registry-test",
    name: "echo",
    schema: z.object({ n: z.number().int() }),
    jobId: (p) => `echo-${p.n}`,
    async handle(payload) {
      seen.push(payload);
      return payload.n * 2;
    },
  });
}

const tick = (queue: string, name: string, every = 60_000) =>
  defineJob({ queue, name, schema: z.object({}), schedule: { every }, handle: async () => "ticked" });

describe("JobRegistry", () => {
  it("refuses a job registered twice", () => {
    const registry = new JobRegistry(redis, prefix);
    expect(() => registry.register(echoJob([]), echoJob([]))).toThrow(/registered twice/);
  });

  it("refuses a schedule it could not run: too frequent, or a payload schema that refuses {}", () => {
    expect(() => new JobRegistry(redis, prefix).register(tick("registry-test", "fast", 10))).toThrow(JobRegistryError);
    const needsPayload = defineJob({
      queue: "registry-test",
      name: "needs",
      schema: z.object({ n: z.number() }),
      schedule: { every: 60_000 },
      handle: async () => 0,
    });
    expect(() => new JobRegistry(redis, prefix).register(needsPayload)).toThrow(/refuses \{\}/);
  });

  it("refuses to enqueue a job it does not know, and an invalid payload", async () => {
    const registry = new JobRegistry(redis, prefix);
    const known = echoJob([]);
    registry.register(known);
    await expect(registry.enqueue(echoJob([]), { n: 1 })).rejects.toThrow(/not registered/);
    await expect(registry.enqueue(known, { n: 1.5 } as never)).rejects.toThrow();
    await registry.close();
  });

  it("runs a job once per deterministic id, through a real worker", async () => {
    const seen: unknown[] = [];
    const job = echoJob(seen);
    const registry = new JobRegistry(redis, prefix).register(job);
    const events = new QueueEvents("registry-test", { connection: redis.duplicate(), prefix });
    await events.waitUntilReady();
    const workers = registry.startWorkers(ctx, 1);
    const first = await registry.enqueue(job, { n: 21 });
    const again = await registry.enqueue(job, { n: 21 });
    expect(again.id).toBe(first.id);
    expect(await first.waitUntilFinished(events, 10_000)).toBe(42);
    await new Promise((r) => setTimeout(r, 300));
    expect(seen).toEqual([{ n: 21 }]);
    await Promise.all(workers.map((w) => w.close()));
    await events.close();
    await registry.close();
  });

  it("requeue adds a job Redis lost, leaves a pending one, retries a failed one and reruns a completed one", async () => {
    const queueName = "registry-requeue";
    let fail = true;
    const seen: number[] = [];
    const job = defineJob({
      queue: queueName,
      name: "flaky",
      schema: z.object({ n: z.number().int() }),
      jobId: (p) => `flaky-${p.n}`,
      options: { attempts: 1 },
      async handle(payload) {
        seen.push(payload.n);
        if (fail) throw new Error("down");
        return payload.n;
      },
    });
    const registry = new JobRegistry(redis, prefix).register(job);
    const queue = new Queue(queueName, { connection: redis, prefix });
    const stateOf = async (id: string) => (await queue.getJob(id))?.getState();
    const until = async (id: string, state: string) => {
      for (let i = 0; i < 100 && (await stateOf(id)) !== state; i++) await new Promise((r) => setTimeout(r, 100));
      expect(await stateOf(id)).toBe(state);
    };

    // Not in Redis: added; asked again while it waits: left alone (no second job).
    expect(await registry.requeue(job, { n: 1 })).toBe("added");
    expect(await registry.requeue(job, { n: 1 })).toBe("pending");
    expect(await queue.getJobCountByTypes("wait")).toBe(1);
    // It fails its only attempt: a requeue retries it, and this time it succeeds.
    const workers = registry.startWorkers(ctx, 1);
    await until("flaky-1", "failed");
    fail = false;
    expect(await registry.requeue(job, { n: 1 })).toBe("retried");
    await until("flaky-1", "completed");
    // Completed although the caller says its work is not done: run once more.
    expect(await registry.requeue(job, { n: 1 })).toBe("completed");
    await until("flaky-1", "completed");
    await new Promise((r) => setTimeout(r, 200));
    expect(seen).toEqual([1, 1, 1]);

    await Promise.all(workers.map((w) => w.close()));
    await queue.obliterate({ force: true });
    await queue.close();
    await registry.close();
  });

  it("derives schedules from the definitions, and a worker refuses a schedule naming a job it has no handler for", async () => {
    const queueName = "registry-schedules";
    const older = new JobRegistry(redis, prefix).register(tick(queueName, "kept"), tick(queueName, "retired"));
    expect((await older.syncSchedulers()).upserted.sort()).toEqual([`${queueName}/kept`, `${queueName}/retired`]);
    await older.close();

    // The next release dropped "retired": its worker must not start while Redis still plans it.
    const newer = new JobRegistry(redis, prefix).register(tick(queueName, "kept"));
    await expect(newer.checkSchedulers()).rejects.toThrow(
      /registry-schedules\/retired names job retired, which has no handler/,
    );
    // The scheduler role reconciles Redis with the definitions; then the worker may start.
    expect(await newer.syncSchedulers()).toEqual({
      upserted: [`${queueName}/kept`],
      removed: [`${queueName}/retired`],
    });
    await expect(newer.checkSchedulers()).resolves.toBeUndefined();
    const queue = new Queue(queueName, { connection: redis, prefix });
    expect((await queue.getJobSchedulers()).map((s) => [s.key, s.every])).toEqual([["kept", 60_000]]);
    await queue.obliterate({ force: true });
    await queue.close();
    await newer.close();
  });
});
