import type { Database } from "../platform/db/database.ts";
import type { PaymentType } from "../generated/prisma/client.ts";

/** Which of a council's payment types to list. */
export interface PaymentTypeFilter {
  /** Only types an operator can use at the counter (active and available there). */
  counter?: boolean;
  /** Only types available at the counter, active or not (the staff page's restriction list). */
  availableAtCounter?: boolean;
  /** Only these codes (an operator's restriction); null or absent: every code. */
  codes?: string[] | null;
}

/** A council's payment types by name, optionally narrowed for the counter. */
export function listPaymentTypes(
  db: Database,
  tenantId: string,
  filter: PaymentTypeFilter = {},
): Promise<PaymentType[]> {
  return db.withTenant(tenantId, (tx) =>
    tx.paymentType.findMany({
      where: {
        tenantId,
        ...(filter.counter ? { active: true, availableAtCounter: true, status: "PUBLISHED" as const } : {}),
        ...(filter.availableAtCounter ? { availableAtCounter: true } : {}),
        ...(filter.codes ? { code: { in: filter.codes } } : {}),
      },
      orderBy: { name: "asc" },
    }),
  );
}
