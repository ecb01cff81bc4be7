import express, { type Router } from "express";
import type { IdpContext } from "./idp-context.ts";
import { SCENARIOS, setScenarioBodySchema } from "./scenarios.ts";

/**
 * Development-only administration: register SP metadata and pick the scenario for the next
 * Responses. No authentication: the dev IdP listens on loopback and never runs in production.
 */
export function adminRoutes(ctx: IdpContext): Router {
  const router = express.Router();

  router.post(
    "/admin/sp-metadata",
    express.text({ type: ["application/xml", "text/xml", "application/samlmetadata+xml", "text/plain"], limit: "1mb" }),
    (req, res) => {
      if (typeof req.body !== "string" || req.body.trim() === "") {
        return res.status(400).json({ error: "corpo XML dei metadati del fornitore di servizi mancante" });
      }
      try {
        const sp = ctx.registry.register(req.body);
        ctx.logger.info({ sp: sp.entityId }, "SP metadata registered");
        res.status(201).json({
          entityId: sp.entityId,
          assertionConsumerServices: sp.assertionConsumerServices,
          attributeConsumingServices: Object.fromEntries(sp.attributeConsumingServices),
        });
      } catch (error) {
        res.status(400).json({ error: (error as Error).message });
      }
    },
  );

  router.get("/admin/sp-metadata", (_req, res) => {
    res.json(
      ctx.registry
        .list()
        .map((sp) => ({ entityId: sp.entityId, assertionConsumerServices: sp.assertionConsumerServices })),
    );
  });

  router.get("/admin/scenario", (_req, res) => {
    res.json({ ...ctx.scenarios.current(), available: SCENARIOS });
  });

  router.post("/admin/scenario", express.json(), (req, res) => {
    const parsed = setScenarioBodySchema.safeParse(req.body);
    if (!parsed.success) {
      return res
        .status(400)
        .json({ error: "scenario non valido", available: Object.keys(SCENARIOS), issues: parsed.error.issues });
    }
    ctx.scenarios.set(parsed.data.scenario, parsed.data.once);
    ctx.logger.info(parsed.data, "SPID test scenario set");
    res.json(ctx.scenarios.current());
  });

  return router;
}
