export { createFdr3Client, type Fdr3ClientConfig } from "./fdr3-client.ts";
export { createNodeForPaReportingClient, type NodeForPaClientConfig } from "./node-for-pa-client.ts";
export { reportingSourceFromConfig } from "./reporting-source.ts";
export { fetchReportingFlowsJob, runReportingFetch } from "./fetch-reporting-flows.job.ts";
