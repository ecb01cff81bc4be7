import type { Tenant, TenantStatus } from "../generated/prisma/client.ts";

/**
 * Councils citizens see and pay on the portal: LIVE ones; on a platform that is not in
 * production also those "in collaudo" (TEST), so they can be tried end to end against the test
 * Nodo. ONBOARDING and SUSPENDED councils never. One rule for the directory, the council pages,
 * "paga un avviso" and "Le mie posizioni", so a council is never listed where it cannot be paid
 * or payable where it is hidden.
 */
export function citizenTenantStatuses(production: boolean): TenantStatus[] {
  return production ? ["LIVE"] : ["LIVE", "TEST"];
}

/** Whether citizens see and pay this council (see `citizenTenantStatuses`). */
export function isCitizenVisible(tenant: Pick<Tenant, "status">, production: boolean): boolean {
  return citizenTenantStatuses(production).includes(tenant.status);
}
