import { afterAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { Redis } from "ioredis";
import { QueueEvents } from "bullmq";
import { z } from "zod";
import { defineJob, JobRegistry } from "./registry.ts";
import { createLogger } from "../observability/logger.ts";

const redis = new Redis(inject("redisUrl"), { maxRetriesPerRequest: null });
const prefix = `${inject("queuePrefix")}-registry`;
afterAll(() => redis.disconnect());

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

describe("JobRegistry", () => {
  it("refuses a job registered twice", () => {
    const registry = new JobRegistry(redis, prefix);
    expect(() => registry.register(echoJob([]), echoJob([]))).toThrow(/registered twice/);
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
    const workers = registry.startWorkers(createLogger({ level: "silent", role: "test" }), 1);
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
});
