import type { AppConfig } from "../../config/env.ts";
import type { Logger } from "../../platform/observability/logger.ts";
import type { ReportingSource } from "../../reconciliation/index.ts";
import { createFdr3Client } from "./fdr3-client.ts";
import { createNodeForPaReportingClient } from "./node-for-pa-client.ts";

/** The reporting source the configuration names (FDR_SOURCE), with its endpoint, key, timeout and retries. */
export function reportingSourceFromConfig(config: AppConfig, logger: Logger): ReportingSource {
  const http = {
    timeoutMs: config.FDR_TIMEOUT_MS,
    retries: config.FDR_RETRIES,
    subscriptionKey: config.FDR_SUBSCRIPTION_KEY,
  };
  return config.FDR_SOURCE === "soap"
    ? createNodeForPaReportingClient(
        { ...http, url: config.NODE_FOR_PA_URL, password: config.NODE_FOR_PA_PASSWORD },
        logger,
      )
    : createFdr3Client({ ...http, baseUrl: config.FDR_BASE_URL }, logger);
}
