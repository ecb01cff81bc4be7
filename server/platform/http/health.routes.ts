import { Router } from "express";
import type { Metrics } from "../observability/metrics.ts";

export interface HealthProbe {
  name: string;
  check(): Promise<void>;
}

/**
 * /healthz: the process is up. /readyz: every dependency answers (PostgreSQL, Redis), each
 * probe bounded so a hung dependency makes the answer 503 instead of hanging the balancer.
 * /metrics: Prometheus text format.
 */
export function healthRoutes(probes: HealthProbe[], metrics: Metrics, timeoutMs = 2_000): Router {
  const router = Router();
  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  router.get("/readyz", async (_req, res) => {
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
    res.status(ready ? 200 : 503).json({ status: ready ? "ready" : "not ready", checks: Object.fromEntries(results) });
  });
  router.get("/metrics", async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}
