// Exports of paid receipts and open debts (native CSV/XLSX, MyPay, GovPay): see docs/imports.md.
export {
  exportRequestSchema,
  exportFileName,
  exportContentType,
  writeExport,
  OPEN_DEBTS_HEADER,
  type ExportRequest,
} from "./write-export.ts";
export { PAID_LAYOUTS, type PaidLayout } from "./paid-layouts.ts";
export type { ExportFormat } from "./table.ts";
export {
  DAILY_EXPORT_LAYOUTS,
  dailyExportLayoutsSchema,
  setDailyExports,
  writeDailyExports,
  type DailyExportLayout,
} from "./daily-exports.ts";
export { writeDailyExportsJob } from "./write-daily-exports.job.ts";
