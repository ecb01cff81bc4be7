import type { Tenant } from "../generated/prisma/client.ts";
import { isCitizenVisible } from "../tenancy/index.ts";

/** Councils citizens can pay: the ones they see (tenancy's one rule: LIVE, TEST only outside production). */
export function isPayableTenant(tenant: Pick<Tenant, "status">, production: boolean): boolean {
  return isCitizenVisible(tenant, production);
}
