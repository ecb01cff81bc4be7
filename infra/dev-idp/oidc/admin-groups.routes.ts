import express, { type RequestHandler, type Router } from "express";
import type { Logger } from "pino";
import { z } from "zod";
import {
  API_CLIENT_ID,
  API_ROLES,
  CLIENTS,
  REALM_NAME,
  REALM_ROLES,
  type ApiRole,
  type RealmRole,
} from "./realm-data.ts";
import { DirectoryConflict, stableId, type DirectoryGroup } from "./realm-groups.ts";
import type { UserDirectory } from "./user-directory.ts";
import { dynamicClientRep } from "./realm-clients.ts";

/** Which realm-management roles open which endpoint, as in Keycloak's default admin permissions. */
export const GROUP_ROLES = {
  /** Creating groups and mapping roles to them: Keycloak checks group management, i.e. `manage-users`. */
  manageGroups: ["manage-users"],
  /** Reading a group's role mappings: viewing the group, i.e. `view-users` (or `manage-users`). */
  viewGroups: ["view-users", "manage-users"],
  /** `GET /roles/{name}`: the realm's roles are viewed with `view-realm` (or `manage-realm`). */
  viewRealm: ["view-realm", "manage-realm"],
  /** `GET /clients?clientId=`: listing clients. */
  listClients: ["query-clients", "view-clients", "manage-clients"],
  /** `GET /clients/{id}/roles/{name}`: a client's roles are viewed with the client. */
  viewClients: ["view-clients", "manage-clients"],
} as const;

/** Fixed ids of the realm data's roles and clients (Keycloak makes UUIDs on import; ours are stable). */
export const realmRoleId = (name: string) => stableId(`pontepa-realm-role:${name}`);
export const clientUuid = (clientId: string) => stableId(`pontepa-client:${clientId}`);
export const API_UUID = clientUuid(API_CLIENT_ID);
export const apiRoleId = (name: string) => stableId(`pontepa-client-role:${API_CLIENT_ID}:${name}`);

/** Keycloak's RoleRepresentation. */
const realmRoleRep = (r: (typeof REALM_ROLES)[number]) => ({
  id: realmRoleId(r.name),
  name: r.name,
  description: r.description,
  composite: false,
  clientRole: false,
  containerId: REALM_NAME,
});
export const apiRoleRep = (r: (typeof API_ROLES)[number]) => ({
  id: apiRoleId(r.name),
  name: r.name,
  description: r.description,
  composite: false,
  clientRole: true,
  containerId: API_UUID,
});
const realmRoleNamed = (name: string) => REALM_ROLES.find((r) => r.name === name);
export const apiRoleNamed = (name: string) => API_ROLES.find((r) => r.name === name);

const groupNameSchema = z.object({ name: z.string().trim().min(1).max(255) });
/** Keycloak takes a list of RoleRepresentation and matches each by name and id. */
const rolesBodySchema = z.array(z.object({ id: z.string(), name: z.string() }).passthrough()).max(100);

export interface AdminGroupOptions {
  need: (roles: readonly string[]) => RequestHandler;
  directory: UserDirectory;
  adminBase: string;
  logger: Logger;
}

/** The group representation with its mappings, as `group-by-path` and children creation answer. */
export function fullGroupRep(directory: UserDirectory, g: DirectoryGroup) {
  return {
    id: g.id,
    name: g.name,
    path: g.path,
    ...(g.parentId ? { parentId: g.parentId } : {}),
    subGroupCount: directory.subGroups(g).length,
    subGroups: [],
    attributes: {},
    realmRoles: [...g.realmRoles],
    clientRoles: g.apiRoles.length ? { [API_CLIENT_ID]: [...g.apiRoles] } : {},
  };
}

/**
 * Keycloak's endpoints for creating a council's groups and giving them roles: subgroup creation
 * (`POST /groups/{id}/children`), realm and client role lookups, and group role mappings
 * (realm roles and `pontepa-api` client roles), with Keycloak's shapes, statuses and permissions.
 */
export function adminGroupRoutes(router: Router, options: AdminGroupOptions): void {
  const { need, directory } = options;
  const groupOf = (id: unknown) => directory.groupById(String(id));
  const notFoundGroup = { error: "Could not find group by id" };

  router.post(
    "/groups/:id/children",
    need(GROUP_ROLES.manageGroups),
    express.json({ limit: "16kb" }),
    async (req, res, next) => {
      const parent = groupOf(req.params.id);
      if (!parent) return void res.status(404).json(notFoundGroup);
      const parsed = groupNameSchema.safeParse(req.body);
      if (!parsed.success) return void res.status(400).json({ errorMessage: "Group name is missing" });
      // Keycloak escapes a "/" inside a name; the development realm has no use for one.
      if (parsed.data.name.includes("/"))
        return void res.status(400).json({ errorMessage: "Group name must not contain '/'" });
      try {
        const child = await directory.createGroup(parent, parsed.data.name);
        options.logger.info({ group: child.path }, "dev-idp admin API: group created");
        res.status(201).location(`${options.adminBase}/groups/${child.id}`).json(fullGroupRep(directory, child));
      } catch (err) {
        if (err instanceof DirectoryConflict) return void res.status(409).json({ errorMessage: err.message });
        next(err);
      }
    },
  );

  router.get("/roles/:name", need(GROUP_ROLES.viewRealm), (req, res) => {
    const role = realmRoleNamed(String(req.params.name));
    if (!role) return void res.status(404).json({ error: "Could not find role" });
    res.json(realmRoleRep(role));
  });

  router.get("/clients", need(GROUP_ROLES.listClients), (req, res) => {
    const wanted = typeof req.query.clientId === "string" ? req.query.clientId : undefined;
    const found = CLIENTS.filter((c) => wanted === undefined || c.clientId === wanted);
    const created = directory.dynamicClients().filter((c) => wanted === undefined || c.clientId === wanted);
    res.json([
      ...found.map((c) => ({
        id: clientUuid(c.clientId),
        clientId: c.clientId,
        name: c.name,
        enabled: true,
        bearerOnly: c.kind === "bearer-only",
        publicClient: false,
        serviceAccountsEnabled: c.kind === "service-account",
      })),
      ...created.map(dynamicClientRep),
    ]);
  });

  router.get("/clients/:clientUuid/roles/:name", need(GROUP_ROLES.viewClients), (req, res) => {
    if (!CLIENTS.some((c) => clientUuid(c.clientId) === req.params.clientUuid))
      return void res.status(404).json({ error: "Could not find client" });
    // Only pontepa-api declares client roles in this realm.
    const role = req.params.clientUuid === API_UUID ? apiRoleNamed(String(req.params.name)) : undefined;
    if (!role) return void res.status(404).json({ error: "Could not find role" });
    res.json(apiRoleRep(role));
  });

  router.get("/groups/:id/role-mappings", need(GROUP_ROLES.viewGroups), (req, res) => {
    const group = groupOf(req.params.id);
    if (!group) return void res.status(404).json(notFoundGroup);
    const realmMappings = group.realmRoles.map((n) => realmRoleRep(realmRoleNamed(n)!));
    const apiMappings = group.apiRoles.map((n) => apiRoleRep(apiRoleNamed(n)!));
    res.json({
      ...(realmMappings.length ? { realmMappings } : {}),
      ...(apiMappings.length
        ? { clientMappings: { [API_CLIENT_ID]: { id: API_UUID, client: API_CLIENT_ID, mappings: apiMappings } } }
        : {}),
    });
  });

  router.get("/groups/:id/role-mappings/realm", need(GROUP_ROLES.viewGroups), (req, res) => {
    const group = groupOf(req.params.id);
    if (!group) return void res.status(404).json(notFoundGroup);
    res.json(group.realmRoles.map((n) => realmRoleRep(realmRoleNamed(n)!)));
  });

  router.get("/groups/:id/role-mappings/clients/:clientUuid", need(GROUP_ROLES.viewGroups), (req, res) => {
    const group = groupOf(req.params.id);
    if (!group) return void res.status(404).json(notFoundGroup);
    if (!CLIENTS.some((c) => clientUuid(c.clientId) === req.params.clientUuid))
      return void res.status(404).json({ error: "Could not find client" });
    res.json(req.params.clientUuid === API_UUID ? group.apiRoles.map((n) => apiRoleRep(apiRoleNamed(n)!)) : []);
  });

  const mapRoles =
    (kind: "realm" | "api"): RequestHandler =>
    async (req, res, next) => {
      const group = groupOf(req.params.id);
      if (!group) return void res.status(404).json(notFoundGroup);
      if (kind === "api" && !CLIENTS.some((c) => clientUuid(c.clientId) === req.params.clientUuid))
        return void res.status(404).json({ error: "Could not find client" });
      const body = rolesBodySchema.safeParse(req.body);
      if (!body.success) return void res.status(400).json({ errorMessage: "Invalid role representation" });
      // Keycloak finds each role by name in the container and insists the id matches too.
      const names: string[] = [];
      for (const r of body.data) {
        const known =
          kind === "realm"
            ? realmRoleNamed(r.name) && realmRoleId(r.name)
            : req.params.clientUuid === API_UUID && apiRoleNamed(r.name) && apiRoleId(r.name);
        if (!known || known !== r.id) return void res.status(404).json({ error: "Role not found" });
        names.push(r.name);
      }
      try {
        await directory.addGroupRoles(
          group,
          kind === "realm" ? { realmRoles: names as RealmRole[] } : { apiRoles: names as ApiRole[] },
        );
        options.logger.info({ group: group.path, roles: names }, "dev-idp admin API: roles mapped to a group");
        res.status(204).end();
      } catch (err) {
        next(err);
      }
    };
  router.post(
    "/groups/:id/role-mappings/realm",
    need(GROUP_ROLES.manageGroups),
    express.json({ limit: "16kb" }),
    mapRoles("realm"),
  );
  router.post(
    "/groups/:id/role-mappings/clients/:clientUuid",
    need(GROUP_ROLES.manageGroups),
    express.json({ limit: "16kb" }),
    mapRoles("api"),
  );
}
