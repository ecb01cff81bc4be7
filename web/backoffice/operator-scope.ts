import type { Database } from "../../server/platform/db/database.ts";
import { can, type StaffPrincipal } from "../../server/identity/staff/index.ts";
import { operatorTypeRestriction } from "../../server/tenancy/index.ts";
import { listPaymentTypes, tariffsSchema, type Tariff } from "../../server/catalog/index.ts";

/**
 * The payment types an operator may handle at the counter, as the council's admin restricted
 * them on the staff page; null means "all" (admins and platform staff are never restricted,
 * operators without a restriction neither).
 */
export async function allowedTypeCodes(
  db: Database,
  tenant: { id: string; ipaCode: string },
  principal: StaffPrincipal,
): Promise<string[] | null> {
  if (can(principal, "tenant.configure", tenant.ipaCode)) return null;
  return operatorTypeRestriction(db, tenant.id, principal.subject);
}

/** Payment types offered in the counter's "new position" form. */
export async function counterPaymentTypes(
  db: Database,
  tenant: { id: string; ipaCode: string },
  principal: StaffPrincipal,
) {
  const codes = await allowedTypeCodes(db, tenant, principal);
  return listPaymentTypes(db, tenant.id, { counter: true, codes });
}

/**
 * The roles whose counter tariffs this person may use in the council: platform staff may use
 * any (null), council staff those of their own roles there.
 */
export function tariffRolesOf(principal: StaffPrincipal, ipaCode: string): string[] | null {
  if (principal.platformRoles.length > 0) return null;
  return principal.memberships[ipaCode] ?? [];
}

/** A counter type's tariffs this person may use, as the counter form offers them. */
export function usableTariffs(stored: unknown, roles: string[] | null): Tariff[] {
  const parsed = tariffsSchema.safeParse(stored);
  if (!parsed.success) return [];
  return parsed.data.filter((t) => roles === null || t.roles.some((r) => roles.includes(r)));
}
