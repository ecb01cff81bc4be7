export { applyPlatformPack, type PackReport } from "./apply-platform-pack.ts";
export { findTenantById, findTenantByFiscalCode, findTenantByIpaCode, listTenants } from "./tenant.repository.ts";
export { addCreditorAccount, ACCOUNT_NOTICE_DAYS, type CreditorAccountInput } from "./add-creditor-account.ts";
