export { createAcaClient, type AcaClient, type AcaClientConfig, type AcaOutcome } from "./aca-client.ts";
export { acaPositionSchema, type AcaPosition } from "./aca.schema.ts";
export { acaPositionOf, acaHash } from "./aca-notice.ts";
export { runAcaSync, acaRetryAt, type AcaSyncStats } from "./run-aca-sync.ts";
export { syncAcaJob, runAcaSyncJob } from "./sync-aca.job.ts";
export { setAcaEnabled, acaStatus } from "./set-aca-enabled.ts";
