import express, { type Express } from "express";
import type { Deps } from "../platform/deps.ts";
import { requestContext } from "../platform/http/request-context.ts";
import { healthRoutes } from "../platform/http/health.routes.ts";

/**
 * The HTTP application of the `soap` role: the paForNode station the Nodo calls for every
 * tenant. Kept apart from the api role so it can be scaled and protected on its own.
 */
export function createSoapApp(deps: Deps): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", deps.config.TRUST_PROXY);
  app.use(requestContext(deps.logger));
  app.use(healthRoutes(deps.probes, deps.metrics));
  return app;
}
