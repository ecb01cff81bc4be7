import express, { type RequestHandler, type Router } from "express";
import type { Logger } from "pino";
import { z } from "zod";
import { API_UUID, apiRoleId, apiRoleNamed, apiRoleRep } from "./admin-groups.routes.ts";
import { dynamicClientRep, type DynamicClient } from "./realm-clients.ts";
import type { ApiRole } from "./realm-data.ts";
import { DirectoryConflict, type DirectoryUser, type UserDirectory } from "./user-directory.ts";

/** Which realm-management roles open which endpoint, as in Keycloak (manage implies view). */
export const CLIENT_ROLES = {
  viewClients: ["view-clients", "manage-clients"],
  manageClients: ["manage-clients"],
  /** A user's role mappings are changed with `manage-users`, read with `view-users`. */
  mapUserRoles: ["manage-users"],
  viewUsers: ["view-users", "manage-users"],
} as const;

/**
 * Keycloak's ClientRepresentation as the back-office sends it. The development realm creates
 * confidential service-account clients only (what a council system needs); anything else is 400.
 */
const newClientSchema = z
  .object({
    clientId: z.string().trim().min(1).max(255),
    name: z.string().max(255).default(""),
    enabled: z.boolean().default(true),
    protocol: z.literal("openid-connect").default("openid-connect"),
    publicClient: z.literal(false).default(false),
    bearerOnly: z.literal(false).default(false),
    clientAuthenticatorType: z.literal("client-secret").default("client-secret"),
    serviceAccountsEnabled: z.literal(true),
    standardFlowEnabled: z.literal(false),
    implicitFlowEnabled: z.literal(false).default(false),
    directAccessGrantsEnabled: z.literal(false).default(false),
    secret: z.string().min(16).max(255).optional(),
  })
  .passthrough();
const rolesBodySchema = z.array(z.object({ id: z.string(), name: z.string() }).passthrough()).max(100);

export interface AdminClientOptions {
  need: (roles: readonly string[]) => RequestHandler;
  directory: UserDirectory;
  adminBase: string;
  logger: Logger;
}

/** Keycloak's UserRepresentation of a service-account user. */
const serviceAccountRep = (u: DirectoryUser) => ({
  id: u.id,
  createdTimestamp: u.createdTimestamp,
  username: u.username,
  enabled: u.enabled,
  totp: false,
  emailVerified: false,
  serviceAccountClientId: u.serviceAccountClientId,
  requiredActions: [],
  notBefore: 0,
});

/**
 * Keycloak's endpoints for a council system's API client: create a confidential client with a
 * service account (`POST /clients`), read it, read and regenerate its secret
 * (`/clients/{id}/client-secret`), find its service-account user, map `pontepa-api` client roles
 * to that user (`/users/{id}/role-mappings/clients/{client}`) and delete the client. The group
 * membership (`PUT /users/{id}/groups/{groupId}`) is in admin.routes.ts. Tokens follow at once:
 * a regenerated secret refuses the old one, a deleted client gets no token (realm-adapter.ts).
 */
export function adminClientRoutes(router: Router, options: AdminClientOptions): void {
  const { need, directory } = options;
  const clientOf = (id: unknown): DynamicClient | undefined => directory.dynamicClientById(String(id));
  const notFound = { error: "Could not find client" };

  router.post("/clients", need(CLIENT_ROLES.manageClients), express.json({ limit: "16kb" }), async (req, res, next) => {
    const parsed = newClientSchema.safeParse(req.body);
    if (!parsed.success)
      return void res
        .status(400)
        .json({ errorMessage: "The development realm creates confidential service-account clients only" });
    try {
      const client = await directory.createClient(parsed.data.clientId, parsed.data.name, parsed.data.secret);
      options.logger.info({ clientId: client.clientId }, "dev-idp admin API: client created");
      res.status(201).location(`${options.adminBase}/clients/${client.id}`).end();
    } catch (err) {
      if (err instanceof DirectoryConflict)
        return void res.status(409).json({ errorMessage: `Client ${parsed.data.clientId} already exists` });
      next(err);
    }
  });

  router.get("/clients/:id", need(CLIENT_ROLES.viewClients), (req, res) => {
    const client = clientOf(req.params.id);
    if (!client) return void res.status(404).json(notFound);
    res.json(dynamicClientRep(client));
  });

  router.get("/clients/:id/client-secret", need(CLIENT_ROLES.viewClients), (req, res) => {
    const client = clientOf(req.params.id);
    if (!client) return void res.status(404).json(notFound);
    res.json({ type: "secret", value: client.secret });
  });

  router.post("/clients/:id/client-secret", need(CLIENT_ROLES.manageClients), async (req, res, next) => {
    const client = clientOf(req.params.id);
    if (!client) return void res.status(404).json(notFound);
    try {
      const value = await directory.regenerateClientSecret(client);
      options.logger.info({ clientId: client.clientId }, "dev-idp admin API: client secret regenerated");
      res.json({ type: "secret", value });
    } catch (err) {
      next(err);
    }
  });

  router.get("/clients/:id/service-account-user", need(CLIENT_ROLES.viewClients), (req, res) => {
    const client = clientOf(req.params.id);
    const user = client && directory.byId(client.serviceAccount.id);
    if (!user) return void res.status(404).json(notFound);
    res.json(serviceAccountRep(user));
  });

  router.delete("/clients/:id", need(CLIENT_ROLES.manageClients), async (req, res, next) => {
    const client = clientOf(req.params.id);
    if (!client) return void res.status(404).json(notFound);
    try {
      await directory.deleteClient(client);
      options.logger.info({ clientId: client.clientId }, "dev-idp admin API: client deleted");
      res.status(204).end();
    } catch (err) {
      next(err);
    }
  });

  router.get("/users/:id/role-mappings/clients/:clientUuid", need(CLIENT_ROLES.viewUsers), (req, res) => {
    const user = directory.byId(String(req.params.id));
    if (!user) return void res.status(404).json({ error: "User not found" });
    if (req.params.clientUuid !== API_UUID) return void res.json([]);
    res.json(user.direct.apiRoles.map((n) => apiRoleRep(apiRoleNamed(n)!)));
  });

  router.post(
    "/users/:id/role-mappings/clients/:clientUuid",
    need(CLIENT_ROLES.mapUserRoles),
    express.json({ limit: "16kb" }),
    async (req, res, next) => {
      const user = directory.byId(String(req.params.id));
      if (!user) return void res.status(404).json({ error: "User not found" });
      // Only pontepa-api declares client roles in this realm.
      if (req.params.clientUuid !== API_UUID) return void res.status(404).json(notFound);
      const body = rolesBodySchema.safeParse(req.body);
      if (!body.success) return void res.status(400).json({ errorMessage: "Invalid role representation" });
      const names: ApiRole[] = [];
      for (const r of body.data) {
        const role = apiRoleNamed(r.name);
        // Keycloak finds each role by name in the client and insists the id matches too.
        if (!role || apiRoleId(r.name) !== r.id) return void res.status(404).json({ error: "Role not found" });
        names.push(role.name);
      }
      try {
        await directory.addUserApiRoles(user, names);
        options.logger.info({ username: user.username, roles: names }, "dev-idp admin API: client roles mapped");
        res.status(204).end();
      } catch (err) {
        next(err);
      }
    },
  );
}
