import type { Database } from "../platform/db/database.ts";
import type { CreditorAccount } from "../generated/prisma/client.ts";

/**
 * A council's creditor accounts, newest decorrenza first. `current` keeps only those not closed
 * before today (in force or starting later): the accounts a payment type may credit.
 */
export function listCreditorAccounts(
  db: Database,
  tenantId: string,
  options: { current?: boolean } = {},
): Promise<CreditorAccount[]> {
  const open = options.current ? { OR: [{ effectiveTo: null }, { effectiveTo: { gte: new Date() } }] } : {};
  return db.withTenant(tenantId, (tx) =>
    tx.creditorAccount.findMany({
      where: { tenantId, ...open },
      orderBy: options.current ? [{ effectiveFrom: "asc" }] : [{ effectiveFrom: "desc" }, { createdAt: "desc" }],
    }),
  );
}
