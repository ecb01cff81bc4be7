import { afterAll, describe, expect, it } from "vitest";
import { Queue } from "bullmq";
import { startRole } from "./roles.ts";
import { testDeps } from "../test/support.ts";
import { JOBS } from "../jobs.ts";

describe("process roles", () => {
  const deps = testDeps();
  afterAll(() => deps.close());

  it("scheduler registers each recurring job once, however often it starts", async () => {
    for (let i = 0; i < 3; i++) await (await startRole("scheduler", deps)).stop();
    const queue = new Queue("maintenance", { connection: deps.redis, prefix: deps.config.QUEUE_PREFIX });
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers.map((s) => s.key).sort()).toEqual(
      JOBS.filter((j) => j.schedule && j.queue === "maintenance")
        .map((j) => j.name)
        .sort(),
    );
    await queue.close();
  });

  it("scheduler answers health and readiness on SCHEDULER_HEALTH_PORT when it is set", async () => {
    const scheduler = await startRole("scheduler", { ...deps, config: { ...deps.config, SCHEDULER_HEALTH_PORT: 0 } });
    try {
      expect((await fetch(`${scheduler.url}/readyz`)).status).toBe(200);
    } finally {
      await scheduler.stop();
    }
    const withoutPort = await startRole("scheduler", deps);
    await withoutPort.stop();
    expect(withoutPort.url).toBeUndefined();
  });

  it("worker answers health and readiness on its own port", async () => {
    const worker = await startRole("worker", deps);
    try {
      expect((await fetch(`${worker.url}/readyz`)).status).toBe(200);
      expect(await (await fetch(`${worker.url}/metrics`)).text()).toContain('role="test"');
    } finally {
      await worker.stop();
    }
  });

  it("soap role serves health separately from the api role", async () => {
    const soap = await startRole("soap", deps);
    try {
      expect((await fetch(`${soap.url}/healthz`)).status).toBe(200);
    } finally {
      await soap.stop();
    }
  });
});
