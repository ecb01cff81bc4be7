import { readFileSync } from "node:fs";
import express, { Router, type ErrorRequestHandler, type Request } from "express";
import { fromTrustedProxy } from "../../platform/http/client-address.ts";
import { handleStationRequest, type StationAnswer } from "./handle-request.ts";
import type { StationDeps } from "./operation.ts";
import { soapFault } from "./soap-messages.ts";
import {
  contentTypeProblem,
  decodeBody,
  recordAnswer,
  refusal,
  STATION_PATH,
  XML,
  type StationRouteOptions,
} from "./station-exchange.ts";
import { escapeXml } from "./xml.ts";

export { STATION_PATH, type StationRouteOptions } from "./station-exchange.ts";
const CONTRACT = new URL("../contract/", import.meta.url);

/**
 * The paForNode endpoint on Express: `GET /nodo/paForNode?wsdl` (and `?xsd=pa-for-node.xsd`)
 * for the project's own contract, and `POST /nodo/paForNode` for the requests the lean handler
 * in front of Express (station-http.ts) hands over: compressed bodies, which body-parser
 * inflates. Every other POST is answered there, with the same checks (station-exchange.ts).
 */
export function stationRoutes(deps: StationDeps, options: StationRouteOptions): Router {
  const wsdl = readFileSync(new URL("pa-for-node.wsdl", CONTRACT), "utf8");
  const xsd = readFileSync(new URL("pa-for-node.xsd", CONTRACT), "utf8");
  const router = Router();

  const finish = (
    req: Request,
    res: express.Response,
    started: number,
    answer: StationAnswer,
    requestXml: string | null,
  ) => {
    res.status(answer.status).type(XML).send(answer.xml);
    recordAnswer(options, answer, started, String(req.id ?? ""), requestXml);
  };
  const refuse = (req: Request, res: express.Response, started: number, status: number, message: string) =>
    finish(req, res, started, refusal(status, message), null);

  router.get(STATION_PATH, (req, res) => {
    if ("wsdl" in req.query) {
      const location = escapeXml(`${req.protocol}://${req.get("host") ?? "localhost"}${STATION_PATH}`);
      res.type(XML).send(wsdl.replace("__STATION_LOCATION__", location));
    } else if (req.query.xsd === "pa-for-node.xsd") {
      res.type(XML).send(xsd);
    } else {
      res.status(404).type(XML).send(soapFault("Client", "Usare ?wsdl oppure POST"));
    }
  });

  router.post(
    STATION_PATH,
    (req, res, next) => {
      res.locals.started = Date.now();
      const problem = contentTypeProblem(req.headers);
      if (problem) return refuse(req, res, res.locals.started, 415, problem);
      next();
    },
    express.raw({ type: () => true, limit: options.bodyLimitBytes }),
    async (req, res) => {
      const started = res.locals.started as number;
      const xml = decodeBody(req.body as Buffer | undefined);
      if (xml === null) return refuse(req, res, started, 400, "Corpo della richiesta non in UTF-8");
      const answer = await handleStationRequest(deps, options, {
        xml,
        requestId: String(req.id ?? ""),
        // req.ip follows TRUST_PROXY: base-app.ts gives Express the same compiled function.
        caller: {
          ip: req.ip ?? req.socket.remoteAddress ?? "",
          viaTrustedProxy: fromTrustedProxy(req, options.trust),
          headers: req.headers,
        },
      });
      finish(req, res, started, answer, xml);
    },
  );

  const onError: ErrorRequestHandler = (err: { status?: number; type?: string }, req, res, next) => {
    if (res.headersSent) return next(err);
    const status = err.status && err.status >= 400 && err.status < 500 ? err.status : 500;
    const message = err.type === "entity.too.large" ? "Richiesta troppo grande" : "Richiesta non leggibile";
    refuse(req, res, (res.locals.started as number | undefined) ?? Date.now(), status, message);
  };
  router.use(onError);
  return router;
}
