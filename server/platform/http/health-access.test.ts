import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMetrics } from "../observability/metrics.ts";
import { healthAccess, healthRoutes } from "./health.routes.ts";

// Issue 13 item 10: metrics and readiness details are for operators, /healthz for everyone.
describe("health endpoints' access", () => {
  const probes = [
    { name: "postgres", check: async () => {} },
    {
      name: "redis",
      check: async () => {
        throw new Error("connect ECONNREFUSED 10.0.0.5:6379");
      },
    },
  ];
  let server: ReturnType<express.Express["listen"]>;
  let base: string;

  beforeAll(async () => {
    const root = express();
    root.use("/prod", healthRoutes(probes, createMetrics("t1"), healthAccess({ NODE_ENV: "production" })));
    root.use(
      "/token",
      healthRoutes(
        probes,
        createMetrics("t2"),
        healthAccess({ NODE_ENV: "production", METRICS_TOKEN: "a-metrics-token-of-length" }),
      ),
    );
    root.use("/dev", healthRoutes(probes, createMetrics("t3"), healthAccess({ NODE_ENV: "development" })));
    server = root.listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  const get = (path: string, token?: string) =>
    fetch(`${base}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

  it("keeps /healthz public everywhere", async () => {
    for (const p of ["/prod", "/token", "/dev"]) expect((await get(`${p}/healthz`)).status).toBe(200);
  });

  it("in production without a token: no metrics, readiness status without details", async () => {
    expect((await get("/prod/metrics")).status).toBe(401);
    const ready = await get("/prod/readyz");
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: "not ready" });
  });

  it("with a token: metrics and details only for the bearer of that token", async () => {
    expect((await get("/token/metrics")).status).toBe(401);
    expect((await get("/token/metrics", "a-metrics-token-of-lengtX")).status).toBe(401);
    const metrics = await get("/token/metrics", "a-metrics-token-of-length");
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain("process_cpu_user_seconds_total");
    expect(await (await get("/token/readyz")).json()).toEqual({ status: "not ready" });
    expect(
      ((await (await get("/token/readyz", "a-metrics-token-of-length")).json()) as { checks: Record<string, string> })
        .checks.redis,
    ).toMatch(/^error/);
  });

  it("outside production without a token: open, as in the demo", async () => {
    expect((await get("/dev/metrics")).status).toBe(200);
    expect(((await (await get("/dev/readyz")).json()) as { checks: object }).checks).toBeDefined();
  });
});
