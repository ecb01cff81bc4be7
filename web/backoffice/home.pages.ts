import { Router } from "express";
import { can, memberTenants } from "../../server/identity/staff/index.ts";
import { ROLE_LABELS } from "../../server/identity/staff/index.ts";
import { listStaffTenants } from "../../server/tenancy/index.ts";
import type { BackofficeContext } from "./backoffice.context.ts";
import { renderPage } from "./nav.ts";

/** The landing page after login: the councils this person works for, and their platform areas. */
export function homePages(ctx: BackofficeContext): Router {
  const router = Router();
  router.get("/", async (_req, res) => {
    const principal = res.locals.staff!.principal;
    const seesAll = can(principal, "helpdesk.read");
    const ipaCodes = memberTenants(principal);
    const tenants = await listStaffTenants(ctx.deps.db, seesAll ? null : ipaCodes);
    if (!seesAll && tenants.length === 1) return res.redirect(303, `/backoffice/enti/${tenants[0]!.ipaCode}`);
    renderPage(res, "home", "/backoffice/", {
      title: "Area riservata",
      tenants: tenants.map((t) => ({
        ...t,
        roles: (principal.memberships[t.ipaCode] ?? []).map((r) => ROLE_LABELS[r]).join(", "),
      })),
      platformRoles: principal.platformRoles.map((r) => ROLE_LABELS[r]),
      helpdesk: seesAll,
      platformAdmin: can(principal, "platform.manage"),
    });
  });
  return router;
}
