export { applyPlatformPack, type PackReport } from "./apply-platform-pack.ts";
export { findTenantById, findTenantByFiscalCode, findTenantByIpaCode, listTenants } from "./tenant.repository.ts";
export { addCreditorAccount, ACCOUNT_NOTICE_DAYS, type CreditorAccountInput } from "./add-creditor-account.ts";
export { updateTenant, tenantUpdateSchema, type TenantUpdate } from "./update-tenant.ts";
export { restrictOperator } from "./restrict-operator.ts";
export { createTenant, newTenantSchema, type NewTenant } from "./create-tenant.ts";
export { updateStation, stationSettingsSchema, type StationSettings } from "./update-station.ts";
export { activationPlan, type ActivationStep } from "./activation-plan.ts";
