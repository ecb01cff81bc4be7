import type { Express } from "express";
import { createBaseApp } from "../platform/http/base-app.ts";
import type { Deps } from "../platform/deps.ts";
import { registeredJobs } from "../jobs.ts";
import { JournalWriter } from "./journal/index.ts";
import { RoutingCache } from "./station/route-request.ts";
import { stationRoutes } from "./station/station.routes.ts";

const journals = new WeakMap<Express, JournalWriter>();

/**
 * The HTTP application of the `soap` role: the paForNode station the Nodo calls for every
 * tenant. Kept apart from the api role so it can be scaled and protected on its own.
 */
export function createSoapApp(deps: Deps): Express {
  const app = createBaseApp(deps);
  const journal = new JournalWriter(deps.db, deps.logger);
  journals.set(app, journal);
  const receiptRegistered = registeredJobs(deps.jobs).receiptRegistered;
  app.use(
    stationRoutes(
      {
        db: deps.db,
        logger: deps.logger,
        routes: new RoutingCache(deps.config.SOAP_ROUTING_CACHE_MS),
        followUps: async (event) => {
          await deps.jobs.enqueue(receiptRegistered, event);
        },
      },
      {
        answerTimeoutMs: deps.config.SOAP_ANSWER_TIMEOUT_MS,
        clientCertHeader: deps.config.SOAP_CLIENT_CERT_HEADER,
        bodyLimitBytes: deps.config.SOAP_BODY_LIMIT_BYTES,
        journal,
        metrics: deps.metrics,
      },
    ),
  );
  return app;
}

/** Writes what the station still holds in memory (the journal); called when the role stops. */
export async function closeSoapApp(app: Express): Promise<void> {
  await journals.get(app)?.close();
}
