import { Router } from "express";
import { auditQuerySchema, listAuditEntries } from "../../server/audit/index.ts";
import type { BackofficeContext } from "./backoffice.context.ts";
import { allow } from "./guards.ts";
import { renderPage } from "./nav.ts";
import { auditChanges } from "./audit-changes.ts";

/** The council's audit log: every configuration and position change, who, when, before/after. */
export function auditPages(ctx: BackofficeContext): Router {
  const router = Router({ mergeParams: true });
  router.get("/registro", allow("tenant.read"), async (req, res) => {
    const tenant = res.locals.tenant!;
    const q = auditQuerySchema.parse(req.query);
    const { total, pages, entries } = await listAuditEntries(ctx.deps.db, tenant.id, q);
    const qs = (page: number) =>
      `?${new URLSearchParams({ ...(q.entity ? { entity: q.entity } : {}), page: String(page) })}`;
    renderPage(res, "audit", `/backoffice/enti/${tenant.ipaCode}/registro`, {
      title: "Registro delle modifiche",
      entries: entries.map((e) => ({
        ...e,
        changes: auditChanges(e.before, e.after),
      })),
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
