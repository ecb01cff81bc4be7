import type { Tenant } from "../generated/prisma/client.ts";

/** Councils citizens can pay: live ones (TEST councils only on non-production platforms). */
export function isPayableTenant(tenant: Pick<Tenant, "status">, production: boolean): boolean {
  return tenant.status === "LIVE" || (!production && tenant.status === "TEST");
}
