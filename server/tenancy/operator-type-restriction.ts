import type { Database } from "../platform/db/database.ts";

/**
 * The payment types a council's operator may handle at the counter, as the council's admin
 * restricted them on the staff page (memberships of the person with the OPERATOR role); null
 * means no restriction. Whether the person is an admin (never restricted) is the caller's policy.
 */
export async function operatorTypeRestriction(
  db: Database,
  tenantId: string,
  subject: string,
): Promise<string[] | null> {
  const memberships = await db.withTenant(tenantId, (tx) =>
    tx.membership.findMany({
      where: { tenantId, role: "OPERATOR", user: { subject } },
      select: { paymentTypeCodes: true },
    }),
  );
  const codes = memberships.flatMap((m) => m.paymentTypeCodes);
  return codes.length > 0 ? codes : null;
}
