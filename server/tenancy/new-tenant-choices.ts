import type { Database } from "../platform/db/database.ts";

/**
 * What the "new council" form offers: the enabled stations (with their intermediary) and the
 * segregation codes already taken, so the admin picks a free one.
 */
export async function newTenantChoices(db: Database) {
  const [stations, used] = await Promise.all([
    db.client.station.findMany({
      where: { enabled: true },
      orderBy: { code: "asc" },
      select: { code: true, environment: true, intermediary: { select: { name: true } } },
    }),
    db.client.tenant.findMany({ select: { segregationCode: true }, orderBy: { segregationCode: "asc" } }),
  ]);
  return { stations, usedSegregationCodes: [...new Set(used.map((u) => u.segregationCode))] };
}
