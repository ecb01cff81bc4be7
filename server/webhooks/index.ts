export { deliverWebhooksJob } from "./deliver-webhooks.job.ts";
export { purgeWebhookHistoryJob } from "./purge-webhook-history.job.ts";
export { runWebhookRelay, type RelayDeps, type RelayStats } from "./run-webhook-relay.ts";
export { webhookHttp } from "./webhook-http.ts";
export { createWebhookEndpoint } from "./create-webhook-endpoint.ts";
export { rotateWebhookSecret } from "./rotate-webhook-secret.ts";
export { setWebhookPaused } from "./set-webhook-paused.ts";
export {
  updateWebhookEndpoint,
  deleteWebhookEndpoint,
  endpointChangeSchema,
  type EndpointChange,
} from "./update-webhook-endpoint.ts";
export { replayWebhookEvents, replaySchema, type ReplayRequest } from "./replay-webhook-events.ts";
export {
  listWebhookEndpoints,
  getWebhookDeliveryLog,
  DELIVERY_LOG_SIZE,
  type WebhookEndpointRow,
} from "./list-webhook-endpoints.ts";
export { endpointInputSchema, webhookUrlProblem, type EndpointInput } from "./endpoint.schema.ts";
export { signedHeaders, verifySignature, generateSecret } from "./signature.ts";
