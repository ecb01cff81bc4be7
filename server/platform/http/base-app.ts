import express, { type Express } from "express";
import type { Deps } from "../deps.ts";
import { compileTrust } from "./client-address.ts";
import { requestContext } from "./request-context.ts";
import { healthAccess, healthRoutes } from "./health.routes.ts";

/**
 * What every HTTP role starts with: no framework banner, proxy trust as configured, request id
 * and per-request logger, timing metrics, and /healthz, /readyz, /metrics.
 */
export function createBaseApp(deps: Deps): Express {
  const app = express();
  app.disable("x-powered-by");
  // A function, not the raw setting: the station's lean handler uses the same one (client-address.ts).
  app.set("trust proxy", compileTrust(deps.config.TRUST_PROXY));
  app.use(requestContext(deps.logger));
  app.use(deps.metrics.timing);
  app.use(healthRoutes(deps.probes, deps.metrics, healthAccess(deps.config)));
  return app;
}
