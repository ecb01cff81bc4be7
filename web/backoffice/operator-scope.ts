import type { Database } from "../../server/platform/db/database.ts";
import { can, type StaffPrincipal } from "../../server/identity/staff/index.ts";

/**
 * The payment types an operator may handle at the counter, as the council's admin restricted
 * them on the staff page; null means "all" (admins, platform staff, operators without a
 * restriction).
 */
export async function allowedTypeCodes(db: Database, tenant: { id: string; ipaCode: string }, principal: StaffPrincipal): Promise<string[] | null> {
  if (can(principal, "tenant.configure", tenant.ipaCode)) return null;
  const memberships = await db.withTenant(tenant.id, (tx) =>
    tx.membership.findMany({ where: { tenantId: tenant.id, role: "OPERATOR", user: { subject: principal.subject } }, select: { paymentTypeCodes: true } }),
  );
  const codes = memberships.flatMap((m) => m.paymentTypeCodes);
  return codes.length > 0 ? codes : null;
}

/** Payment types offered in the counter's "new position" form. */
export async function counterPaymentTypes(db: Database, tenant: { id: string; ipaCode: string }, principal: StaffPrincipal) {
  const allowed = await allowedTypeCodes(db, tenant, principal);
  const types = await db.withTenant(tenant.id, (tx) =>
    tx.paymentType.findMany({ where: { tenantId: tenant.id, active: true, availableAtCounter: true }, select: { code: true, name: true }, orderBy: { name: "asc" } }),
  );
  return allowed ? types.filter((t) => allowed.includes(t.code)) : types;
}
