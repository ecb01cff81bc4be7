import { timingSafeEqual } from "node:crypto";
import { Router, type Request } from "express";
import type { Metrics } from "../observability/metrics.ts";

/** Who may read metrics and readiness details (METRICS_TOKEN). */
export interface HealthAccess {
  token?: string;
  /** Without a token: open (development) or closed (production). */
  open: boolean;
}

/** The access of every HTTP role: METRICS_TOKEN, or open outside production without one. */
export const healthAccess = (config: { METRICS_TOKEN?: string; NODE_ENV: string }): HealthAccess => ({
  token: config.METRICS_TOKEN,
  open: config.NODE_ENV !== "production",
});

export interface HealthProbe {
  name: string;
  check(): Promise<void>;
}

/**
 * /healthz: the process is up. /readyz: every dependency answers (PostgreSQL, Redis), each
 * probe bounded so a hung dependency makes the answer 503 instead of hanging the balancer.
 * /metrics: Prometheus text format.
 * The metrics and the readiness details (which dependency failed, and its error) are for
 * operators: with a token they need `Authorization: Bearer <token>`; without one they are open
 * only outside production. Otherwise /metrics answers 401 and /readyz its status alone, so a
 * load balancer's probe still works. /healthz is always public.
 */
export function healthRoutes(
  probes: HealthProbe[],
  metrics: Metrics,
  access: HealthAccess = { open: true },
  timeoutMs = 2_000,
): Router {
  const router = Router();
  const expected = access.token ? Buffer.from(`Bearer ${access.token}`) : null;
  const operator = (req: Request) => {
    if (!expected) return access.open;
    const given = Buffer.from(req.get("authorization") ?? "");
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  router.get("/readyz", async (req, res) => {
    const results = await Promise.all(
      probes.map(async (probe) => {
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            probe.check(),
            new Promise((_, reject) => {
              timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
            }),
          ]);
          return [probe.name, "ok"] as const;
        } catch (err) {
          return [probe.name, `error: ${(err as Error).message}`] as const;
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    const ready = results.every(([, status]) => status === "ok");
    const status = ready ? "ready" : "not ready";
    res.status(ready ? 200 : 503).json(operator(req) ? { status, checks: Object.fromEntries(results) } : { status });
  });
  router.get("/metrics", async (req, res) => {
    if (!operator(req)) return void res.status(401).set("WWW-Authenticate", "Bearer").json({ status: "unauthorized" });
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}
