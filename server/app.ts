import express, { type Express } from "express";
import type { Deps } from "./platform/deps.ts";
import { requestContext } from "./platform/http/request-context.ts";
import { healthRoutes } from "./platform/http/health.routes.ts";
import { notFoundHandler, problemHandler } from "./platform/http/problem.ts";

/**
 * The HTTP application of the `api` role: health, the REST API, the citizen portal and the
 * back-office are mounted here. Building it does no I/O; listening is the role's job.
 */
export function createApp(deps: Deps): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", deps.config.TRUST_PROXY);
  app.use(requestContext(deps.logger));
  app.use(deps.metrics.timing);
  app.use(healthRoutes(deps.probes, deps.metrics));
  app.use(express.json({ limit: "1mb" }));
  app.use(notFoundHandler);
  app.use(problemHandler);
  return app;
}
