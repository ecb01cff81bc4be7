import { randomBytes, randomUUID } from "node:crypto";
import { z } from "zod";
import { API_ROLES, type ApiRole } from "./realm-data.ts";

/**
 * A confidential service-account client created through the Admin API (a council system's API
 * client), with its service-account user's groups and `pontepa-api` client roles.
 */
export interface DynamicClient {
  /** Keycloak's internal id (`/clients/{id}`). */
  id: string;
  clientId: string;
  name: string;
  /** Development realm only: kept in the IdP's data dir as Keycloak keeps it in its database. */
  secret: string;
  createdTimestamp: number;
  serviceAccount: { id: string; groups: string[]; apiRoles: ApiRole[] };
}

const apiRole = z.enum(API_ROLES.map((r) => r.name) as [ApiRole, ...ApiRole[]]);
export const savedClientsSchema = z.array(
  z.object({
    id: z.string(),
    clientId: z.string(),
    name: z.string(),
    secret: z.string(),
    createdTimestamp: z.number(),
    serviceAccount: z.object({ id: z.string(), groups: z.array(z.string()), apiRoles: z.array(apiRole) }),
  }),
);

/** Keycloak generates 32 alphanumeric characters for a client secret. */
export function generateClientSecret(): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  return [...randomBytes(32)].map((b) => alphabet[b % alphabet.length]).join("");
}

/** A new client with its service-account user (`service-account-<clientId>`, no groups, no roles). */
export function newDynamicClient(clientId: string, name: string, secret = generateClientSecret()): DynamicClient {
  return {
    id: randomUUID(),
    clientId,
    name,
    secret,
    createdTimestamp: Date.now(),
    serviceAccount: { id: randomUUID(), groups: [], apiRoles: [] },
  };
}

/** The oidc-provider metadata of a dynamic client: client_credentials only, secret in the Basic header. */
export function dynamicClientMetadata(c: DynamicClient) {
  return {
    client_id: c.clientId,
    client_secret: c.secret,
    client_name: c.name,
    grant_types: ["client_credentials"],
    response_types: [],
    redirect_uris: [],
    token_endpoint_auth_method: "client_secret_basic",
  };
}

/** Keycloak's ClientRepresentation of a service-account client (without its secret). */
export function dynamicClientRep(c: DynamicClient) {
  return {
    id: c.id,
    clientId: c.clientId,
    name: c.name,
    enabled: true,
    clientAuthenticatorType: "client-secret",
    bearerOnly: false,
    publicClient: false,
    standardFlowEnabled: false,
    implicitFlowEnabled: false,
    directAccessGrantsEnabled: false,
    serviceAccountsEnabled: true,
    protocol: "openid-connect",
  };
}
