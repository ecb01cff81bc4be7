// Bulk import of debt positions from files (native CSV/XLSX, MyPay, GovPay): see docs/imports.md.
export {
  startImport,
  safeFileName,
  type ImportSource,
  type StartedImport,
  type StartImportDeps,
} from "./start-import.ts";
export { processImport, type ImportSummary, type ProcessImportHooks } from "./process-import.ts";
export { processImportJob } from "./process-import.job.ts";
export { getImport, listImports, type ImportStatusView } from "./list-imports.ts";
export { outcomeStream, outcomeFileName, layoutsFor, OUTCOME_LAYOUTS, type OutcomeLayout } from "./outcome-file.ts";
export { NATIVE_COLUMNS } from "./formats/native.ts";
export { nativeTemplateCsv, writeNativeTemplateXlsx, NATIVE_COLUMN_HELP } from "./template.ts";
export { scanDropFolders, writeDropOutcome } from "./drop-folder.ts";
export { scanDropFoldersJob } from "./scan-drop-folders.job.ts";
