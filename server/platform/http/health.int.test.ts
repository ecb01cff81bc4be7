import { afterAll, describe, expect, it } from "vitest";
import { startRole, type RunningRole } from "../../roles/roles.ts";
import { testDeps } from "../../test/support.ts";
import type { Deps } from "../deps.ts";

describe("health endpoints", () => {
  const opened: Array<{ deps: Deps; role: RunningRole }> = [];
  afterAll(async () => {
    for (const { deps, role } of opened) {
      await role.stop();
      await deps.close();
    }
  });

  async function start(overrides: Record<string, string> = {}) {
    const deps = testDeps(overrides);
    const role = await startRole("api", deps);
    opened.push({ deps, role });
    return role.url!;
  }

  it("answers healthz, readyz (PostgreSQL and Redis) and metrics", async () => {
    const url = await start();
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", checks: { postgres: "ok", redis: "ok" } });
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain("pontepa_http_request_duration_seconds");
    expect(metrics).toContain("process_cpu_user_seconds_total");
  });

  it("reports not ready when Redis does not answer", async () => {
    const url = await start({ REDIS_URL: "redis://127.0.0.1:1/0" });
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(503);
    const body = (await ready.json()) as { checks: Record<string, string> };
    expect(body.checks.postgres).toBe("ok");
    expect(body.checks.redis).toMatch(/^error/);
  });

  it("answers unknown routes with problem+json", async () => {
    const url = await start();
    const res = await fetch(`${url}/nope`, { headers: { "X-Request-Id": "req-123", Accept: "application/json" } });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/application\/problem\+json/);
    expect(res.headers.get("x-request-id")).toBe("req-123");
    expect(await res.json()).toMatchObject({ status: 404, code: "NOT_FOUND" });
  });
});
