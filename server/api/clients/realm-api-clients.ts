import { z } from "zod";
import { RealmAdmin, RealmAdminError, type RealmRoleRef } from "../../identity/staff/index.ts";

/** What managing a council system's API client needs from the realm (Keycloak's Admin REST API). */
export interface RealmClientAdmin {
  /** Creates a confidential service-account client; returns its internal id. @throws RealmAdminError conflict */
  createServiceAccountClient(clientId: string, name: string): Promise<string>;
  /** The client's current secret (Keycloak generates one on creation). */
  clientSecret(clientUuid: string): Promise<string>;
  /** A new secret; the old one stops working at once. */
  regenerateClientSecret(clientUuid: string): Promise<string>;
  serviceAccountUserId(clientUuid: string): Promise<string>;
  groupByPath(path: string): Promise<{ id: string; path: string } | null>;
  joinGroup(userId: string, groupId: string): Promise<void>;
  /** The internal id of a client by its clientId. @throws RealmAdminError not-found */
  clientUuid(clientId: string): Promise<string>;
  clientRole(clientUuid: string, name: string): Promise<RealmRoleRef>;
  addUserClientRoles(userId: string, clientUuid: string, roles: RealmRoleRef[]): Promise<void>;
  deleteClient(clientUuid: string): Promise<void>;
}

const secretSchema = z.object({ type: z.literal("secret"), value: z.string().min(1) });
const userSchema = z.object({ id: z.string().min(1) });

/**
 * The realm's client endpoints, as the `pontepa-admin` service account (which needs
 * `manage-clients` besides its staff-administration roles): Keycloak's
 * `POST /clients`, `/clients/{id}/client-secret`, `/clients/{id}/service-account-user`,
 * `/users/{id}/role-mappings/clients/{client}` and `DELETE /clients/{id}`.
 */
export class RealmApiClients extends RealmAdmin implements RealmClientAdmin {
  async createServiceAccountClient(clientId: string, name: string): Promise<string> {
    const res = await this.call("POST", "/clients", {
      clientId,
      name,
      enabled: true,
      protocol: "openid-connect",
      publicClient: false,
      bearerOnly: false,
      clientAuthenticatorType: "client-secret",
      serviceAccountsEnabled: true,
      standardFlowEnabled: false,
      implicitFlowEnabled: false,
      directAccessGrantsEnabled: false,
    });
    const id = /\/clients\/([^/?#]+)$/.exec(res.headers.get("location") ?? "")?.[1];
    if (res.status !== 201 || !id)
      throw new RealmAdminError("unreachable", `client creation answered ${res.status} without a Location`);
    return decodeURIComponent(id);
  }

  async clientSecret(clientUuid: string): Promise<string> {
    return secretSchema.parse(await this.json("GET", `/clients/${encodeURIComponent(clientUuid)}/client-secret`)).value;
  }

  async regenerateClientSecret(clientUuid: string): Promise<string> {
    const res = await this.call("POST", `/clients/${encodeURIComponent(clientUuid)}/client-secret`);
    const parsed = secretSchema.safeParse(await res.json().catch(() => null));
    if (!parsed.success) throw new RealmAdminError("unreachable", "the regenerated secret is not in the answer");
    return parsed.data.value;
  }

  async serviceAccountUserId(clientUuid: string): Promise<string> {
    return userSchema.parse(await this.json("GET", `/clients/${encodeURIComponent(clientUuid)}/service-account-user`))
      .id;
  }

  async addUserClientRoles(userId: string, clientUuid: string, roles: RealmRoleRef[]): Promise<void> {
    await this.call(
      "POST",
      `/users/${encodeURIComponent(userId)}/role-mappings/clients/${encodeURIComponent(clientUuid)}`,
      roles.map(({ id, name }) => ({ id, name })),
    );
  }

  async deleteClient(clientUuid: string): Promise<void> {
    await this.call("DELETE", `/clients/${encodeURIComponent(clientUuid)}`);
  }
}
