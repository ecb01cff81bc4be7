import type { Database } from "../platform/db/database.ts";
import { AppError } from "../platform/errors.ts";

/**
 * A council as the platform admin edits it: the row with its station code and intermediary.
 * @throws AppError NOT_FOUND
 */
export async function getTenantSettings(db: Database, ipaCode: string) {
  const tenant = await db.client.tenant.findUnique({
    where: { ipaCode },
    include: { station: { select: { code: true } }, intermediary: { select: { name: true, fiscalCode: true } } },
  });
  if (!tenant) throw new AppError("NOT_FOUND", "Ente non trovato", 404);
  return tenant;
}
