import type { Database } from "../platform/db/database.ts";

/** A council as the back-office's landing page lists it. */
export interface StaffTenantSummary {
  ipaCode: string;
  name: string;
  status: string;
}

/**
 * The councils a member of staff works for (by IPA code), or every council for platform-wide
 * staff (`ipaCodes` null), by name. Tenants are platform data (no RLS).
 */
export function listStaffTenants(db: Database, ipaCodes: string[] | null): Promise<StaffTenantSummary[]> {
  return db.client.tenant.findMany({
    where: ipaCodes ? { ipaCode: { in: ipaCodes } } : {},
    select: { ipaCode: true, name: true, status: true },
    orderBy: { name: "asc" },
  });
}
