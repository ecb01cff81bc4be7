export { findApiClient, type ApiClientRecord } from "./find-api-client.ts";
