import express, { Router, type Request, type Response } from "express";
import type { SimulatorContext } from "../context.ts";
import { acaPositionBody } from "./aca-archive.ts";

const problem = (res: Response, status: number, title: string, detail: string) =>
  res.status(status).type("application/json").json({ title, status, detail });

/**
 * pagoPA's ACA debt-positions service (gpd-4-aca.json): create, update, read and invalidate a
 * council's positions in the archive pagoPA answers from in Stand-In. The subscription key is
 * required when NODO_SIM_ACA_KEY is set; POST /admin/aca?down=true makes it answer 503, and
 * GET /admin/aca shows the calls and the archive.
 */
export function acaRoutes(ctx: SimulatorContext): Router {
  const router = Router();
  const base = "/aca/debt-positions-service/v1/organizations/:cf/debtpositions";
  const state = { down: false, calls: [] as Array<{ method: string; path: string; status: number }> };
  const archive = ctx.store.aca;

  type Params = { cf: string; iupd?: string };
  const guard = (req: Request<Params>, res: Response): boolean => {
    const key = ctx.config.NODO_SIM_ACA_KEY;
    res.setHeader("X-Request-Id", req.get("X-Request-Id") ?? crypto.randomUUID());
    const done = (status: number) => state.calls.push({ method: req.method, path: req.path, status });
    res.on("finish", () => done(res.statusCode));
    if (key && req.get("Ocp-Apim-Subscription-Key") !== key) {
      problem(res, 401, "Unauthorized", "subscription key missing or wrong");
      return false;
    }
    if (state.down) {
      problem(res, 503, "Service Unavailable", "ACA is down (simulated)");
      return false;
    }
    return true;
  };
  const view = (cf: string, iupd: string) => {
    const r = archive.get(cf, iupd)!;
    return { ...r.position, status: r.status, organizationFiscalCode: cf };
  };

  router.use("/aca", express.json({ limit: "256kb" }));
  router.post(base, (req: Request<Params>, res) => {
    if (!guard(req, res)) return;
    const body = acaPositionBody.safeParse(req.body);
    if (!body.success) return problem(res, 400, "Bad Request", body.error.message);
    if (archive.get(req.params.cf, body.data.iupd))
      return problem(res, 409, "Conflict", `debt position ${body.data.iupd} already exists`);
    archive.put(req.params.cf, body.data, "VALID");
    res.status(201).json(view(req.params.cf, body.data.iupd));
  });
  router.put(`${base}/:iupd`, (req: Request<Params>, res) => {
    if (!guard(req, res)) return;
    const body = acaPositionBody.safeParse(req.body);
    if (!body.success) return problem(res, 400, "Bad Request", body.error.message);
    if (body.data.iupd !== req.params.iupd) return problem(res, 400, "Bad Request", "iupd differs from the path");
    if (!archive.get(req.params.cf, req.params.iupd!))
      return problem(res, 404, "Not Found", `no debt position ${req.params.iupd}`);
    archive.put(req.params.cf, body.data, "VALID");
    res.json(view(req.params.cf, body.data.iupd));
  });
  router.get(`${base}/:iupd`, (req: Request<Params>, res) => {
    if (!guard(req, res)) return;
    if (!archive.get(req.params.cf, req.params.iupd!))
      return problem(res, 404, "Not Found", `no debt position ${req.params.iupd}`);
    res.json(view(req.params.cf, req.params.iupd!));
  });
  router.post(`${base}/:iupd/invalidate`, (req: Request<Params>, res) => {
    if (!guard(req, res)) return;
    const found = archive.get(req.params.cf, req.params.iupd!);
    if (!found) return problem(res, 404, "Not Found", `no debt position ${req.params.iupd}`);
    if (found.status === "INVALID") return problem(res, 409, "Conflict", "already invalid");
    archive.put(req.params.cf, found.position, "INVALID");
    res.json(view(req.params.cf, req.params.iupd!));
  });

  router.get("/admin/aca", (_req, res) => {
    res.json({ down: state.down, calls: state.calls, records: archive.records });
  });
  router.post("/admin/aca", (req, res) => {
    state.down = (req.query.down ?? "") === "true";
    res.json({ down: state.down });
  });
  return router;
}
