export { findApiClient, forgetApiClient, type ApiClientRecord } from "./find-api-client.ts";
export { createApiClient, type ApiClientDeps } from "./create-api-client.ts";
export { rotateApiClientSecret, revokeApiClient } from "./manage-api-client.ts";
export { listApiClients, type ApiClientRow } from "./list-api-clients.ts";
export { RealmApiClients, type RealmClientAdmin } from "./realm-api-clients.ts";
export {
  API_CLIENT_ROLES,
  API_CLIENT_ROLE_LABELS,
  API_CLIENT_ROLE_NAMES,
  realmRolesOf,
  type ApiClientRole,
} from "./api-client-roles.ts";
export { returnUrlPrefixProblem, type ApiClientInput } from "./api-client.schema.ts";
