export {
  compareWithPagopa,
  type CouncilAlignment,
  type RegistryAlignment,
  type RegistryDifference,
} from "./compare-with-pagopa.ts";
export { remindIbanChanges, IBAN_REMINDER_DAYS } from "./remind-iban-changes.ts";
export { remindIbanChangesJob } from "./remind-iban-changes.job.ts";
