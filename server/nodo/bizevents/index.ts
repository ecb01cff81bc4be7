export { createBizEventsClient, type BizEventsClientConfig } from "./biz-events-client.ts";
export { mapBizEvent, mapOrganizationReceipt, bizTime, type MappedReceipt } from "./map-biz-receipt.ts";
export { recoverReceiptsJob, runReceiptRecoveryJob } from "./recover-receipts.job.ts";
