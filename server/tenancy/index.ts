export { applyPlatformPack, type PackReport } from "./apply-platform-pack.ts";
export { findTenantById, findTenantByFiscalCode, findTenantByIpaCode, listTenants } from "./tenant.repository.ts";
