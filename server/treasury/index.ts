export { readTreasuryFile } from "./read-treasury-file.ts";
export { TreasuryFormatError, type TreasuryCreditData, type TreasuryDocument } from "./treasury-document.ts";
export {
  importTreasuryFile,
  rematchTreasuryCredits,
  type TreasuryImportSource,
  type TreasuryImportSummary,
} from "./import-treasury-file.ts";
export { receiveTreasuryFile } from "./receive-treasury-file.ts";
export { treasuryImportView, listTreasuryImports, type TreasuryImportView } from "./treasury-import-view.ts";
export { CREDIT_STATUSES, type CreditStatus } from "./match-treasury-credits.ts";
export { treasuryOverview, type CreditRow } from "./treasury-overview.ts";
export { importTreasuryDropFolderJob, importTreasuryDropFolder } from "./import-drop-folder.job.ts";
export { matchCreditManually, unmatchCreditManually, manualMatchSchema, manualUnmatchSchema } from "./manual-match.ts";
export { treasuryCreditDetail } from "./credit-detail.ts";
