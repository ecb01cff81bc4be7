import { collectDefaultMetrics, Counter, Histogram, Registry } from "prom-client";
import type { RequestHandler } from "express";

/** One Prometheus registry per process, with default Node metrics and HTTP timings. */
export function createMetrics(role: string) {
  const registry = new Registry();
  registry.setDefaultLabels({ role });
  collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: "pontepa_http_request_duration_seconds",
    help: "HTTP request duration by route and status",
    labelNames: ["method", "route", "status"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5],
    registers: [registry],
  });
  const faults = new Counter({
    name: "pontepa_nodo_answers_total",
    help: "Answers given to the Nodo by operation and outcome/fault code",
    labelNames: ["operation", "outcome"],
    registers: [registry],
  });
  const journalDropped = new Counter({
    name: "pontepa_nodo_journal_dropped_total",
    help: "Nodo journal entries dropped because the in-memory queue was full (PostgreSQL slow or down, or a flood)",
    registers: [registry],
  });

  // The service level "receipts per minute per council": one series per council (tenant id),
  // counted when the station answered OK to a paSendRTV2 (the receipt is stored by then).
  const receiptsAcknowledged = new Counter({
    name: "pontepa_receipts_acknowledged_total",
    help: "Receipts (paSendRTV2) the station acknowledged with OK, by council",
    labelNames: ["tenant"],
    registers: [registry],
  });

  const timing: RequestHandler = (req, res, next) => {
    const end = httpDuration.startTimer({ method: req.method });
    res.on("finish", () => {
      // Route patterns, not raw URLs, keep the label set small.
      const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : "unmatched";
      end({ route, status: String(res.statusCode) });
    });
    next();
  };

  return { registry, httpDuration, nodoAnswers: faults, journalDropped, receiptsAcknowledged, timing };
}

export type Metrics = ReturnType<typeof createMetrics>;
