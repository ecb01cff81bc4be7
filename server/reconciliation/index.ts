export { readReportingDocument } from "./read-reporting-file.ts";
export {
  OUTCOME_CODES,
  ReportingFormatError,
  type ListedFlow,
  type ReportingDocument,
  type ReportingFlowData,
  type ReportingFlowHeader,
  type ReportingRowData,
} from "./reporting-document.ts";
export { paymentsToRows } from "./read-fdr3-json.ts";
export { ingestReportingFlow, type IngestOutcome, type ReconciliationTenant } from "./ingest-reporting-flow.ts";
export { reconcilePending } from "./reconcile-pending.ts";
export { ANOMALY_KINDS, type AnomalyKind } from "./anomalies.repository.ts";
export { fetchReportingFlows, type FetchSummary } from "./fetch-reporting-flows.ts";
export type { ReportingRequester, ReportingSource } from "./reporting-source.ts";
export { currentFlowTotals } from "./flow-totals.ts";
export { listReconciliation, type FlowSummary, type AnomalySummary } from "./list-reconciliation.ts";
export {
  classifyPayments,
  CLASSIFICATION_CODES,
  type ClassificationCode,
  type ClassificationScope,
} from "./classify-payments.ts";
export {
  reconciliationPeriodSchema,
  classificationQuerySchema,
  currentRomeMonth,
  type ReconciliationPeriod,
  type ClassificationQuery,
} from "./reconciliation-period.ts";
export { reconciliationTotals, REPORTED_CODES, CREDITED_CODES, type TotalsRow } from "./reconciliation-totals.ts";
export { listClassifications, CLASSIFICATIONS_PAGE_SIZE, type ClassificationRow } from "./list-classifications.ts";
export { paymentDocuments } from "./payment-documents.ts";
export {
  exportClassifications,
  exportAccountingSplit,
  bilancioXml,
  MYPIVOT_HEADER,
  type SplitFormat,
} from "./export-reconciliation.ts";
