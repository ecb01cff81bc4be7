import { Router, type Request, type Response } from "express";
import type { SimulatorContext } from "../context.ts";

const problem = (res: Response, status: number, title: string, detail: string) =>
  res.status(status).type("application/json").json({ title, status, detail });

/**
 * pagoPA's biz-events API for organisations (biz_events.json): the receipts of the payments the
 * simulator collected, delivered to the station or not (a "lost receipt" is only here). The
 * subscription key is required when NODO_SIM_BIZEVENTS_KEY is set; POST /admin/bizevents?down=true
 * makes it answer 503 (pagoPA unavailable), and `lookups` counts the calls.
 */
export function bizEventsRoutes(ctx: SimulatorContext): Router {
  const router = Router();
  const base = "/bizevents/service/v1/organizations/:cf/receipts/:iur";
  const state = { down: false, lookups: 0 };

  const answer = (req: Request<{ cf: string; iur: string; iuv?: string }>, res: Response) => {
    state.lookups += 1;
    const key = ctx.config.NODO_SIM_BIZEVENTS_KEY;
    const given = req.get("Ocp-Apim-Subscription-Key") ?? req.query["subscription-key"];
    if (key && given !== key) return problem(res, 401, "Unauthorized", "subscription key missing or wrong");
    res.setHeader("X-Request-Id", req.get("X-Request-Id") ?? crypto.randomUUID());
    if (state.down) return problem(res, 503, "Service Unavailable", "biz-events is down (simulated)");
    const { cf, iur, iuv } = req.params;
    const found = ctx.store.payments.find(
      (p) =>
        p.bizReceipt &&
        p.receiptId === iur &&
        (iuv === undefined || p.iuv === iuv) &&
        (p.idPA === cf || p.transfers.some((t) => t.fiscalCodePA === cf)),
    );
    if (!found) return problem(res, 404, "Not Found", `No receipt ${iur} for organization ${cf}`);
    res.json(found.bizReceipt);
  };
  router.get(`${base}/paymentoptions/:iuv`, answer);
  router.get(base, answer);

  router.get("/admin/bizevents", (_req, res) => {
    res.json(state);
  });
  router.post("/admin/bizevents", (req, res) => {
    const down = (req.query.down ?? "") === "true";
    state.down = down;
    res.json(state);
  });
  return router;
}
