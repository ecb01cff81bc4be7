import type { Database } from "../../server/platform/db/database.ts";
import { can, type StaffPrincipal } from "../../server/identity/staff/index.ts";
import { operatorTypeRestriction } from "../../server/tenancy/index.ts";
import { listPaymentTypes } from "../../server/catalog/index.ts";

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
