import type { Database } from "../platform/db/database.ts";
import { AppError } from "../platform/errors.ts";

/**
 * A station of the intermediary with the councils it serves, for the platform admin.
 * @throws AppError NOT_FOUND
 */
export async function getStation(db: Database, code: string) {
  const station = await db.client.station.findUnique({
    where: { code },
    include: {
      intermediary: { select: { name: true } },
      tenants: { select: { name: true, ipaCode: true, status: true }, orderBy: { name: "asc" } },
    },
  });
  if (!station) throw new AppError("NOT_FOUND", "Stazione non trovata", 404);
  return station;
}
