import express, { type Request, type RequestHandler, type Response, type Router } from "express";
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from "jose";
import type { Logger } from "pino";
import { z } from "zod";
import { ACTION_TOKEN_PATH } from "./action-token.routes.ts";
import type { RealmMailer } from "./actions-email.ts";
import { clientRedirectUris } from "./provider.ts";
import { adminClientRoutes } from "./admin-clients.routes.ts";
import { adminGroupRoutes, fullGroupRep } from "./admin-groups.routes.ts";
import { CLIENTS, REALM_MANAGEMENT_CLIENT_ID } from "./realm-data.ts";
import { DirectoryConflict, type DirectoryGroup, type DirectoryUser, type UserDirectory } from "./user-directory.ts";

export interface AdminApiOptions {
  /** The realm's issuer, e.g. http://127.0.0.1:4200/realms/pontepa (tokens must name it). */
  issuer: string;
  /** Public URL of this API, e.g. http://127.0.0.1:4200/admin/realms/pontepa (for Location). */
  adminBase: string;
  jwks: JSONWebKeySet;
  directory: UserDirectory;
  mailer: RealmMailer;
  backofficeBaseUrls: string[];
  logger: Logger;
}

/** Keycloak's default lifespan of an admin-initiated action token: 12 hours. */
const DEFAULT_ACTION_LIFESPAN = 43_200;
const SUPPORTED_ACTIONS = new Set(["UPDATE_PASSWORD"]);

// Which realm-management roles open which endpoint, as in Keycloak (manage implies view).
const VIEW_USERS = ["view-users", "manage-users"];
const QUERY_GROUPS = ["query-groups", "view-users", "manage-users"];
const MANAGE_USERS = ["manage-users"];

const newUserSchema = z.object({
  username: z.string().trim().min(1).max(255),
  email: z.string().trim().max(254).default(""),
  firstName: z.string().trim().max(255).default(""),
  lastName: z.string().trim().max(255).default(""),
  enabled: z.boolean().default(false),
  emailVerified: z.boolean().default(false),
  requiredActions: z.array(z.string()).default([]),
});

/** Keycloak's UserRepresentation (the fields a full representation always carries). */
function userRep(u: DirectoryUser) {
  return {
    id: u.id,
    createdTimestamp: u.createdTimestamp,
    username: u.username,
    enabled: u.enabled,
    totp: false,
    emailVerified: u.emailVerified,
    firstName: u.firstName,
    lastName: u.lastName,
    ...(u.email ? { email: u.email } : {}),
    requiredActions: [...u.requiredActions],
    notBefore: 0,
  };
}

const groupRep = (g: DirectoryGroup) => ({
  id: g.id,
  name: g.name,
  path: g.path,
  ...(g.parentId ? { parentId: g.parentId } : {}),
  subGroups: [],
});

/**
 * The subset of Keycloak's Admin REST API the back-office uses to manage staff, under
 * `/admin/realms/<realm>`: user search by e-mail, creation, group lookup by path, group
 * membership, group members and the "execute actions" e-mail; and, in admin-groups.routes.ts,
 * creating a council's groups with their role mappings. Callers authenticate with a
 * bearer access token of the realm carrying `resource_access.realm-management.roles`: 401
 * without a valid token, 403 without the role, with Keycloak's JSON shapes and status codes.
 */
export function adminRoutes(options: AdminApiOptions): Router {
  const router = express.Router();
  const keys = createLocalJWKSet(options.jwks);
  const { directory } = options;

  const need =
    (roles: readonly string[]): RequestHandler =>
    async (req, res, next) => {
      const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1];
      if (!token) return void res.status(401).json({ error: "HTTP 401 Unauthorized" });
      let held: string[];
      try {
        const { payload } = await jwtVerify(token, keys, {
          issuer: options.issuer,
          algorithms: ["RS256"],
          typ: "at+jwt",
        });
        const access = (payload.resource_access ?? {}) as Record<string, { roles?: string[] } | undefined>;
        held = access[REALM_MANAGEMENT_CLIENT_ID]?.roles ?? [];
      } catch {
        return void res.status(401).json({ error: "HTTP 401 Unauthorized" });
      }
      if (!roles.some((r) => held.includes(r))) return void res.status(403).json({ error: "HTTP 403 Forbidden" });
      next();
    };
  const userOf = (req: Request, res: Response): DirectoryUser | undefined => {
    const user = directory.byId(String(req.params.id));
    if (!user) res.status(404).json({ error: "User not found" });
    return user;
  };

  router.get("/users", need(VIEW_USERS), (req, res) => {
    const q = (name: string) =>
      typeof req.query[name] === "string" ? (req.query[name] as string).toLowerCase() : undefined;
    const exact = q("exact") === "true";
    const match = (value: string, wanted: string | undefined) =>
      wanted === undefined || (exact ? value.toLowerCase() === wanted : value.toLowerCase().includes(wanted));
    const first = Math.max(0, Number(q("first") ?? 0) || 0);
    const max = Math.max(0, Number(q("max") ?? 100) || 100);
    // Keycloak leaves service accounts out of user searches.
    const found = directory
      .all()
      .filter((u) => !u.serviceAccountClientId && match(u.email, q("email")) && match(u.username, q("username")));
    res.json(found.slice(first, first + max).map(userRep));
  });

  router.post("/users", need(MANAGE_USERS), express.json({ limit: "16kb" }), async (req, res, next) => {
    const parsed = newUserSchema.safeParse(req.body);
    if (!parsed.success) return void res.status(400).json({ errorMessage: "Invalid user representation" });
    try {
      const user = await directory.create(parsed.data);
      res.status(201).location(`${options.adminBase}/users/${user.id}`).end();
    } catch (err) {
      if (err instanceof DirectoryConflict) return void res.status(409).json({ errorMessage: err.message });
      next(err);
    }
  });

  router.get("/users/:id", need(VIEW_USERS), (req, res) => {
    const user = userOf(req, res);
    if (user) res.json(userRep(user));
  });

  router.get("/users/:id/groups", need(VIEW_USERS), (req, res) => {
    const user = userOf(req, res);
    if (user)
      res.json(
        user.groups
          .map((p) => directory.groupByPath(p))
          .filter((g) => g !== undefined)
          .map(groupRep),
      );
  });

  const membership =
    (join: boolean): RequestHandler =>
    async (req, res, next) => {
      const user = userOf(req, res);
      if (!user) return;
      const group = directory.groupById(String(req.params.groupId));
      if (!group) return void res.status(404).json({ error: "Could not find group by id" });
      try {
        await (join ? directory.joinGroup(user, group) : directory.leaveGroup(user, group));
        options.logger.info(
          { username: user.username, group: group.path, join },
          "dev-idp admin API: group membership changed",
        );
        res.status(204).end();
      } catch (err) {
        next(err);
      }
    };
  router.put("/users/:id/groups/:groupId", need(MANAGE_USERS), membership(true));
  router.delete("/users/:id/groups/:groupId", need(MANAGE_USERS), membership(false));

  router.get("/group-by-path/*path", need(QUERY_GROUPS), (req, res) => {
    const segments = (req.params as { path: string[] }).path;
    const group = directory.groupByPath(`/${segments.join("/")}`);
    if (!group) return void res.status(404).json({ error: "Group path does not exist" });
    res.json(fullGroupRep(directory, group));
  });

  router.get("/groups/:id/members", need(VIEW_USERS), (req, res) => {
    const group = directory.groupById(String(req.params.id));
    if (!group) return void res.status(404).json({ error: "Could not find group by id" });
    const first = Math.max(0, Number(req.query.first ?? 0) || 0);
    const max = Math.max(0, Number(req.query.max ?? 100) || 100);
    res.json(
      directory
        .all()
        .filter((u) => u.groups.includes(group.path))
        .slice(first, first + max)
        .map(userRep),
    );
  });

  router.put(
    "/users/:id/execute-actions-email",
    need(MANAGE_USERS),
    express.json({ limit: "4kb" }),
    async (req, res) => {
      const user = userOf(req, res);
      if (!user) return;
      const actions = z.array(z.string()).safeParse(req.body);
      if (!actions.success || actions.data.some((a) => !SUPPORTED_ACTIONS.has(a)))
        return void res.status(400).json({ errorMessage: "Provided invalid required actions" });
      if (!user.email) return void res.status(400).json({ errorMessage: "User email missing" });
      if (!user.enabled) return void res.status(400).json({ errorMessage: "User is disabled" });
      const clientId = typeof req.query.client_id === "string" ? req.query.client_id : undefined;
      const redirectUri = typeof req.query.redirect_uri === "string" ? req.query.redirect_uri : undefined;
      if (redirectUri && !clientId) return void res.status(400).json({ errorMessage: "Client id missing" });
      const client = clientId ? CLIENTS.find((c) => c.clientId === clientId) : undefined;
      if (clientId && !client) return void res.status(400).json({ errorMessage: "Client doesn't exist" });
      if (
        client &&
        redirectUri &&
        !clientRedirectUris(client, options.backofficeBaseUrls).redirectUris.includes(redirectUri)
      ) {
        return void res.status(400).json({ errorMessage: "Invalid redirect uri." });
      }
      const lifespan = Number(req.query.lifespan ?? DEFAULT_ACTION_LIFESPAN) || DEFAULT_ACTION_LIFESPAN;
      const { token, expiresAt } = await directory.issueActionToken(
        user,
        actions.data,
        lifespan,
        clientId ? { clientId, redirectUri } : undefined,
      );
      const link = `${options.issuer}${ACTION_TOKEN_PATH}?key=${encodeURIComponent(token)}`;
      try {
        await options.mailer.sendActionsEmail(
          { email: user.email, name: `${user.firstName} ${user.lastName}`.trim() },
          link,
          expiresAt,
        );
      } catch (err) {
        options.logger.warn({ err }, "dev-idp admin API: the actions e-mail could not be sent");
        return void res.status(500).json({ errorMessage: "Failed to send execute actions email" });
      }
      res.status(204).end();
    },
  );

  adminGroupRoutes(router, { need, directory, adminBase: options.adminBase, logger: options.logger });
  adminClientRoutes(router, { need, directory, adminBase: options.adminBase, logger: options.logger });
  return router;
}
