import type { Database } from "../platform/db/database.ts";

/**
 * The platform admin's home: every intermediary with its stations, and every council with the
 * code of the station it is served by. Platform data (no RLS).
 */
export async function platformOverview(db: Database) {
  const [intermediaries, tenants] = await Promise.all([
    db.client.intermediary.findMany({ include: { stations: { orderBy: { code: "asc" } } }, orderBy: { name: "asc" } }),
    db.client.tenant.findMany({ include: { station: { select: { code: true } } }, orderBy: { name: "asc" } }),
  ]);
  return { intermediaries, tenants };
}
