import express, { Router, type Request, type Response } from "express";
import { z } from "zod";
import type { SimulatorContext } from "../context.ts";
import { registrySchema, type RegistryStore } from "./registry.ts";

const pageQuery = z.object({
  page: z.coerce.number().int().min(0),
  limit: z.coerce.number().int().min(0).max(100).default(10),
});

const problem = (res: Response, status: number, title: string, detail: string) =>
  res.status(status).type("application/problem+json").json({ title, status, detail });

/**
 * pagoPA's "Backoffice External for EC" API as the broker's client sees it
 * (openapi_backoffice_external_ec.json: the broker's creditor institutions and their IBANs,
 * paged from 0, subscription key in Ocp-Apim-Subscription-Key or ?subscription-key), plus the
 * admin door that sets what it knows.
 */
export function registryRoutes(ctx: SimulatorContext, store: RegistryStore): Router {
  const router = Router();
  const base = "/backoffice/external/ec/v1/brokers/:brokerCode";

  const guard = (req: Request, res: Response): z.infer<typeof pageQuery> | null => {
    const key = ctx.config.NODO_SIM_BACKOFFICE_KEY;
    const given = req.get("Ocp-Apim-Subscription-Key") ?? req.query["subscription-key"];
    if (key && given !== key) {
      res.status(401).end();
      return null;
    }
    res.setHeader("X-Request-Id", req.get("X-Request-Id") ?? crypto.randomUUID());
    const query = pageQuery.safeParse(req.query);
    if (!query.success) {
      problem(res, 400, "Bad Request", query.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
      return null;
    }
    return query.data;
  };
  const paged = <T>(items: T[], { page, limit }: z.infer<typeof pageQuery>) => ({
    items: items.slice(page * limit, page * limit + limit),
    pageInfo: { page, limit, totalElements: items.length, totalPages: limit ? Math.ceil(items.length / limit) : 0 },
  });

  router.get(`${base}/creditor_institutions`, (req: Request<{ brokerCode: string }>, res) => {
    const query = guard(req, res);
    if (!query) return;
    const mine = store.current.institutions.filter((i) => i.brokerTaxCode === req.params.brokerCode);
    if (!mine.length)
      return problem(res, 404, "Not Found", `No creditor institutions for broker ${req.params.brokerCode}`);
    const { items, pageInfo } = paged(mine, query);
    res.json({ creditorInstitutions: items, pageInfo });
  });

  router.get(`${base}/ibans`, (req: Request<{ brokerCode: string }>, res) => {
    const query = guard(req, res);
    if (!query) return;
    const cis = new Set(
      store.current.institutions.filter((i) => i.brokerTaxCode === req.params.brokerCode).map((i) => i.taxCode),
    );
    const { items, pageInfo } = paged(
      store.current.ibans.filter((i) => cis.has(i.ciFiscalCode)),
      query,
    );
    res.json({ ibans: items, pageInfo });
  });

  router.get("/admin/registry", (_req, res) => {
    res.json(store.current);
  });
  router.put("/admin/registry", express.json({ limit: "8mb" }), (req, res) => {
    const next = registrySchema.safeParse(req.body);
    if (!next.success) return res.status(400).json({ error: next.error.issues.slice(0, 20) });
    store.replace(next.data);
    ctx.log("info", "pagoPA registry replaced", {
      institutions: next.data.institutions.length,
      ibans: next.data.ibans.length,
    });
    res.json({ institutions: next.data.institutions.length, ibans: next.data.ibans.length });
  });
  return router;
}
