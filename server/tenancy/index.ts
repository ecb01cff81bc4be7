export { applyPlatformPack, type PackReport } from "./apply-platform-pack.ts";
export { platformPackSchema, type PlatformPack } from "./pack.schema.ts";
export { findTenantByFiscalCode, findTenantByIpaCode, listTenants } from "./tenant.repository.ts";
export { addCreditorAccount, ACCOUNT_NOTICE_DAYS, type CreditorAccountInput } from "./add-creditor-account.ts";
export { updateTenant, tenantUpdateSchema, type TenantUpdate } from "./update-tenant.ts";
export {
  applyDueGoLivesJob,
  cancelGoLive,
  goLiveOverview,
  GoLiveRefused,
  revertGoLive,
  scheduleGoLive,
  type GoLiveCheck,
  type GoLiveInput,
} from "./go-live/index.ts";
export { restrictOperator } from "./restrict-operator.ts";
export { createTenant, newTenantSchema, type NewTenant } from "./create-tenant.ts";
export { updateStation, stationSettingsSchema, type StationSettings } from "./update-station.ts";
export { citizenTenantStatuses, isCitizenVisible } from "./citizen-visibility.ts";
export { activationPlan, type ActivationStep } from "./activation-plan.ts";
export { inviteStaff, type StaffInvitation, type InvitationReturn, type InviteOutcome } from "./invite-staff.ts";
export { changeStaffRole, type StaffChanger } from "./change-staff-role.ts";
export { listCouncilStaff, type CouncilStaff, type CouncilStaffMember } from "./list-council-staff.ts";
export type { StaffAdminDeps } from "./staff-directory.ts";
export {
  provisionCouncilGroups,
  councilGroupsState,
  type CouncilGroupsDeps,
  type CouncilGroupsState,
  type ProvisionOutcome,
} from "./provision-council-groups.ts";
export { listCreditorAccounts } from "./list-creditor-accounts.ts";
export { operatorTypeRestriction } from "./operator-type-restriction.ts";
export { listStaffTenants, type StaffTenantSummary } from "./list-staff-tenants.ts";
export { platformOverview } from "./platform-overview.ts";
export { newTenantChoices } from "./new-tenant-choices.ts";
export { getStation } from "./get-station.ts";
export { getTenantSettings } from "./get-tenant-settings.ts";
export {
  compareWithPagopa,
  remindIbanChangesJob,
  type CouncilAlignment,
  type RegistryAlignment,
  type RegistryDifference,
} from "./registry-alignment/index.ts";
export * from "./adhesion/index.ts";
export * from "./council-profile/index.ts";
