import type { RequestListener } from "node:http";
import { compileTrust } from "../platform/http/client-address.ts";
import { createBaseApp } from "../platform/http/base-app.ts";
import type { Deps } from "../platform/deps.ts";
import { JournalWriter } from "./journal/index.ts";
import { RoutingCache } from "./station/route-request.ts";
import { stationRoutes } from "./station/station.routes.ts";
import { stationHttpHandler } from "./station/station-http.ts";
import type { StationDeps } from "./station/operation.ts";
import type { ReceiptFollowUps } from "../positions/index.ts";

/** The `soap` role's HTTP handler, and how to stop it (the journal holds entries in memory). */
export interface SoapApp {
  handler: RequestListener;
  /** Writes what the station still holds in memory (the journal); called when the role stops. */
  close(): Promise<void>;
}

/**
 * The HTTP application of the `soap` role: the paForNode station the Nodo calls for every
 * tenant. Kept apart from the api role so it can be scaled and protected on its own.
 * `POST /nodo/paForNode` is served by a lean node:http handler (station-http.ts); the rest
 * (health, metrics, the WSDL, compressed requests) by Express.
 */
export function createSoapApp(deps: Deps, receiptFollowUps: ReceiptFollowUps): SoapApp {
  const app = createBaseApp(deps);
  const journal = new JournalWriter(deps.db, deps.logger, { dropped: deps.metrics.journalDropped });
  const station: StationDeps = {
    db: deps.db,
    amountRules: deps.amountRules,
    logger: deps.logger,
    routes: new RoutingCache(deps.config.SOAP_ROUTING_CACHE_MS),
    followUps: receiptFollowUps,
  };
  const options = {
    answerTimeoutMs: deps.config.SOAP_ANSWER_TIMEOUT_MS,
    clientCertHeader: deps.config.SOAP_CLIENT_CERT_HEADER,
    requireCallerAuthentication: deps.config.NODE_ENV === "production",
    trust: compileTrust(deps.config.TRUST_PROXY),
    bodyLimitBytes: deps.config.SOAP_BODY_LIMIT_BYTES,
    journal,
    metrics: deps.metrics,
  };
  app.use(stationRoutes(station, options));
  return {
    handler: stationHttpHandler(station, { ...options, logger: deps.logger }, app),
    close: () => journal.close(),
  };
}
