import { Router, type Request } from "express";
import { restrictOperator } from "../../server/tenancy/index.ts";
import { can, ROLE_LABELS } from "../../server/identity/staff/index.ts";
import { staffActor, type BackofficeContext } from "./backoffice.context.ts";
import { allow } from "./guards.ts";
import { renderPage } from "./nav.ts";

const ROLE_OF = { TENANT_ADMIN: "tenant-admin", OPERATOR: "operator", VIEWER: "viewer" } as const;

/**
 * The council's staff: who has logged in with which role (roles come from the realm's groups,
 * so inviting someone means adding them to the council's group in Keycloak), and the payment
 * types each operator may handle at the counter.
 */
export function staffPages(ctx: BackofficeContext): Router {
  const router = Router({ mergeParams: true });
  const { db } = ctx.deps;

  router.get("/personale", allow("tenant.read"), async (req, res) => {
    const tenant = res.locals.tenant!;
    const [members, types] = await db.withTenant(tenant.id, (tx) =>
      Promise.all([
        tx.membership.findMany({ where: { tenantId: tenant.id }, include: { user: { select: { displayName: true, email: true, lastLoginAt: true } } }, orderBy: [{ role: "asc" }, { createdAt: "asc" }] }),
        tx.paymentType.findMany({ where: { tenantId: tenant.id, availableAtCounter: true }, select: { code: true, name: true }, orderBy: { name: "asc" } }),
      ]),
    );
    renderPage(res, "staff", `/backoffice/enti/${tenant.ipaCode}/personale`, {
      title: "Personale dell'ente",
      members: members.map((m) => ({
        ...m,
        roleLabel: ROLE_LABELS[ROLE_OF[m.role]],
        isOperator: m.role === "OPERATOR",
        types: types.map((t) => ({ ...t, checked: m.paymentTypeCodes.includes(t.code) })),
      })),
      groups: ["admins", "operators", "viewers"].map((g) => `/tenants/${tenant.ipaCode}/${g}`),
      canConfigure: can(res.locals.staff!.principal, "tenant.configure", tenant.ipaCode),
      flash: req.query.salvato ? "Abilitazioni aggiornate." : undefined,
    });
  });

  router.post("/personale/:membershipId/tipi", allow("tenant.configure"), async (req: Request<{ membershipId: string }>, res) => {
    const raw = (req.body as { tipi?: string | string[] }).tipi;
    const codes = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
    await restrictOperator(db, res.locals.tenant!.id, req.params.membershipId, codes, staffActor(res.locals.staff!));
    res.redirect(303, `/backoffice/enti/${res.locals.tenant!.ipaCode}/personale?salvato=1`);
  });
  return router;
}
