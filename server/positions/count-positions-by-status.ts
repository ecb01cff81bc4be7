import type { Database } from "../platform/db/database.ts";

/** How many of a council's debt positions are in each status (the back-office summary). */
export async function countPositionsByStatus(
  db: Database,
  tenantId: string,
): Promise<Array<{ status: string; count: number }>> {
  const groups = await db.withTenant(tenantId, (tx) =>
    tx.debtPosition.groupBy({ by: ["status"], where: { tenantId }, _count: { _all: true } }),
  );
  return groups.map((g) => ({ status: g.status, count: g._count._all }));
}
