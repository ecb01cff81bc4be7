import type { JobDefinition } from "./platform/queue/job.ts";
import { expireOverdueOptionsJob } from "./positions/index.ts";
import { purgeJournalRawJob } from "./nodo/journal/index.ts";
import { receiptRegisteredJob, sweepReceiptFollowUpsJob } from "./notifications/index.ts";
import { processImportJob, scanDropFoldersJob } from "./imports/index.ts";
import { applyDueGoLivesJob, remindIbanChangesJob } from "./tenancy/index.ts";
import { fetchReportingFlowsJob } from "./nodo/reporting/index.ts";
import { importTreasuryDropFolderJob } from "./treasury/index.ts";
import { deliverWebhooksJob, purgeWebhookHistoryJob } from "./webhooks/index.ts";
import { purgeIdempotencyKeysJob } from "./api/purge-idempotency-keys.job.ts";
import { runPreproductionTestsJob } from "./nodo/preproduction/index.ts";
import { recoverReceiptsJob } from "./nodo/bizevents/index.ts";
import { printRunJob } from "./notices/index.ts";
import { syncAcaJob } from "./nodo/aca/index.ts";
import { writeDailyExportsJob } from "./exports/index.ts";

/**
 * Every background job of the platform, once. A job is one `*.job.ts` file in the module whose
 * work it does (its queue, payload schema, optional schedule and handler) plus one line here.
 * Roles that enqueue, the worker that runs and the scheduler that plans all read this list.
 */
export const JOBS: readonly JobDefinition[] = [
  expireOverdueOptionsJob,
  purgeJournalRawJob,
  receiptRegisteredJob,
  sweepReceiptFollowUpsJob,
  applyDueGoLivesJob,
  remindIbanChangesJob,
  processImportJob,
  scanDropFoldersJob,
  fetchReportingFlowsJob,
  importTreasuryDropFolderJob,
  deliverWebhooksJob,
  purgeWebhookHistoryJob,
  purgeIdempotencyKeysJob,
  runPreproductionTestsJob,
  recoverReceiptsJob,
  printRunJob,
  syncAcaJob,
  writeDailyExportsJob,
];
