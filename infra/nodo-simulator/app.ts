import express, { type Express } from "express";
import { loadSimulatorConfig, type SimulatorConfig } from "./config.ts";
import type { Log, SimulatorContext } from "./context.ts";
import { faultPlanSchema, Faults } from "./faults.ts";
import { StationClient } from "./station-client.ts";
import { SimulatorStore } from "./store.ts";
import { XsdChecker } from "./xsd-check.ts";
import { checkoutRoutes } from "./checkout.routes.ts";
import { pspRoutes } from "./psp.routes.ts";
import { reportingRoutes } from "./fdr/reporting.routes.ts";
import { registryRoutes } from "./backoffice/registry.routes.ts";
import { RegistryStore } from "./backoffice/registry.ts";
import { bizEventsRoutes } from "./bizevents/bizevents.routes.ts";
import { acaRoutes } from "./aca/aca.routes.ts";

/** JSON log lines on stderr, so the demo's output stays readable next to the platform's. */
export const jsonLog: Log = (level, msg, extra) => {
  process.stderr.write(
    `${JSON.stringify({ level, time: new Date().toISOString(), service: "nodo-simulator", msg, ...extra })}\n`,
  );
};

/**
 * The Nodo simulator: plays pagoPA (Checkout, PSPs, the Nodo's calls to our station, reporting
 * flows, treasury) for development, the demo and e2e. Building it does no I/O beyond reading
 * its saved state.
 */
export function createSimulator(
  config: SimulatorConfig = loadSimulatorConfig(process.env),
  log: Log = jsonLog,
): { app: Express; ctx: SimulatorContext } {
  const xsd = new XsdChecker(config.PAGOPA_SPECS_DIR, log);
  const ctx: SimulatorContext = {
    config,
    xsd,
    log,
    station: new StationClient(config, xsd),
    store: new SimulatorStore(config.NODO_SIM_DATA_DIR),
    faults: new Faults(),
  };
  const app = express();
  app.disable("x-powered-by");
  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok", stationUrl: config.NODO_SIM_STATION_URL, xsdCheck: Boolean(xsd.xsd) });
  });
  app.use(checkoutRoutes(ctx));
  app.use(pspRoutes(ctx));
  app.use(reportingRoutes(ctx));
  app.use(registryRoutes(ctx, new RegistryStore(config.NODO_SIM_DATA_DIR)));
  app.use(bizEventsRoutes(ctx));
  app.use(acaRoutes(ctx));

  app.get("/admin/payments", (_req, res) => {
    res.json(ctx.store.payments);
  });
  app.get("/admin/violations", (_req, res) => {
    res.json(xsd.violations);
  });
  app.delete("/admin/violations", (_req, res) => {
    xsd.violations.length = 0;
    res.status(204).end();
  });
  app.get("/admin/faults", (_req, res) => {
    res.json(ctx.faults.current() ?? {});
  });
  app.post("/admin/faults", express.json({ limit: "4kb" }), (req, res) => {
    const plan = faultPlanSchema.safeParse(req.body);
    if (!plan.success) return res.status(400).json({ error: plan.error.issues });
    ctx.faults.set(plan.data);
    log("warn", "fault plan set", { plan: plan.data });
    res.json(plan.data);
  });
  app.delete("/admin/faults", (_req, res) => {
    ctx.faults.clear();
    res.status(204).end();
  });
  return { app, ctx };
}
