import express, { type Express } from "express";
import { createBaseApp } from "./platform/http/base-app.ts";
import type { Deps } from "./platform/deps.ts";
import { notFoundHandler, problemHandler } from "./platform/http/problem.ts";
import { useViewEngine } from "../web/shared/view-engine.ts";
import { assetRoutes } from "../web/shared/assets.routes.ts";
import { securityHeaders } from "../web/shared/security.ts";
import { citizenRoutes } from "../web/citizen/citizen.routes.ts";
import { apiDocumentationRoutes, apiRoutes } from "./api/api.routes.ts";
import { backofficeRoutes, createBackofficeContext } from "../web/backoffice/backoffice.routes.ts";
import { useItalianZodMessages } from "./platform/validation/italian-zod-errors.ts";

/**
 * The HTTP application of the `api` role: health, static assets, the citizen portal the REST API and the
 * back-office are mounted here. Building it does no I/O;
 * listening is the role's job.
 */
export function createApp(deps: Deps): Express {
  // Validation messages reach clerks and citizens: zod's defaults speak Italian (process-wide, idempotent).
  useItalianZodMessages();
  const app = createBaseApp(deps);
  useViewEngine(app);
  app.use(securityHeaders());
  app.use(assetRoutes());
  app.use(express.json({ limit: "1mb" }));
  app.use("/api/v1", apiDocumentationRoutes(deps));
  app.use("/api/v1", apiRoutes(deps));
  app.use("/backoffice", backofficeRoutes(createBackofficeContext(deps)));
  // The citizen portal is mounted last: it owns "/" and renders its own HTML error pages.
  app.use(citizenRoutes(deps));
  app.use(notFoundHandler);
  app.use(problemHandler);
  return app;
}
