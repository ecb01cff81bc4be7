import { Router } from "express";
import { z } from "zod";
import type { BackofficeContext } from "./backoffice.context.ts";
import { allow } from "./guards.ts";
import { renderPage } from "./nav.ts";

const PAGE = 50;
const querySchema = z.object({ page: z.coerce.number().int().min(1).max(10_000).catch(1), entity: z.string().max(64).optional().catch(undefined) });

/** The council's audit log: every configuration and position change, who, when, before/after. */
export function auditPages(ctx: BackofficeContext): Router {
  const router = Router({ mergeParams: true });
  router.get("/registro", allow("tenant.read"), async (req, res) => {
    const tenant = res.locals.tenant!;
    const q = querySchema.parse(req.query);
    const where = { tenantId: tenant.id, ...(q.entity ? { entityType: q.entity } : {}) };
    const [total, entries] = await ctx.deps.db.withTenant(tenant.id, (tx) =>
      Promise.all([tx.auditLog.count({ where }), tx.auditLog.findMany({ where, orderBy: [{ at: "desc" }, { id: "desc" }], skip: (q.page - 1) * PAGE, take: PAGE })]),
    );
    const pages = Math.max(1, Math.ceil(total / PAGE));
    const qs = (page: number) => `?${new URLSearchParams({ ...(q.entity ? { entity: q.entity } : {}), page: String(page) })}`;
    renderPage(res, "audit", `/backoffice/enti/${tenant.ipaCode}/registro`, {
      title: "Registro delle modifiche",
      entries: entries.map((e) => ({ ...e, beforeText: e.before ? JSON.stringify(e.before, null, 1) : "", afterText: e.after ? JSON.stringify(e.after, null, 1) : "" })),
      total,
      page: q.page,
      pages,
      entity: q.entity,
      prev: q.page > 1 ? qs(q.page - 1) : null,
      next: q.page < pages ? qs(q.page + 1) : null,
    });
  });
  return router;
}
