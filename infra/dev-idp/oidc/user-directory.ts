import { createHash, randomBytes, randomUUID, scryptSync, timingSafeEqual } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import {
  DEMO_PASSWORD,
  DEMO_USERS,
  SERVICE_ACCOUNTS,
  TENANTS,
  type RealmUser,
  type RoleMappings,
} from "./realm-data.ts";
import { DirectoryConflict, RealmGroups, savedGroupsSchema, type DirectoryGroup } from "./realm-groups.ts";
import { generateClientSecret, newDynamicClient, savedClientsSchema, type DynamicClient } from "./realm-clients.ts";

export { DirectoryConflict, groupIdOf, type DirectoryGroup } from "./realm-groups.ts";

/** A user as the realm keeps it: the realm data plus what Keycloak tracks per user. */
export interface DirectoryUser extends RealmUser {
  enabled: boolean;
  emailVerified: boolean;
  /** Keycloak's required actions; an invited person has `UPDATE_PASSWORD` until they set one. */
  requiredActions: string[];
  createdTimestamp: number;
  /** Demo users and service accounts come from realm-data.ts; invited users are added at run time. */
  builtIn: boolean;
}

const passwordSchema = z.object({ salt: z.string(), hash: z.string() });
const invitedSchema = z.object({
  id: z.string(),
  username: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  email: z.string(),
  groups: z.array(z.string()),
  enabled: z.boolean(),
  emailVerified: z.boolean(),
  requiredActions: z.array(z.string()),
  createdTimestamp: z.number(),
  password: passwordSchema.optional(),
});
const actionTokenSchema = z.object({
  /** sha256 of the token: the file never holds a usable link. */
  hash: z.string(),
  userId: z.string(),
  actions: z.array(z.string()),
  expiresAt: z.number(),
  clientId: z.string().optional(),
  redirectUri: z.string().optional(),
});
const fileSchema = z.object({
  version: z.literal(1),
  invited: z.array(invitedSchema),
  /** Group paths of the built-in users, as changed through the Admin API. */
  builtInGroups: z.record(z.string(), z.array(z.string())),
  actionTokens: z.array(actionTokenSchema),
  /** Groups created through the Admin API and roles mapped to groups (absent in older files). */
  groups: savedGroupsSchema.optional(),
  /** Service-account clients created through the Admin API (absent in older files). */
  clients: savedClientsSchema.optional(),
});
export type ActionToken = z.infer<typeof actionTokenSchema>;

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/**
 * The realm's mutable user directory, persisted as JSON in the IdP's data dir (`users.json`):
 * the demo users and service accounts of realm-data.ts (their group changes are kept), users
 * created through the Admin API, their passwords (scrypt) and pending action tokens, and the
 * groups created through the Admin API with their role mappings. Every
 * change is written before the caller answers, so a restart loses nothing.
 */
export class UserDirectory {
  private readonly users = new Map<string, DirectoryUser>();
  private readonly passwords = new Map<string, z.infer<typeof passwordSchema>>();
  private actionTokens: ActionToken[] = [];
  private readonly clients = new Map<string, DynamicClient>();
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly file: string,
    private readonly realmGroups: RealmGroups,
  ) {}

  /** Opens (or starts) the directory in `dataDir`; `extraTenants` adds councils' groups beyond the demo ones. */
  static async open(dataDir: string, extraTenants: ReadonlyArray<{ ipaCode: string }> = []): Promise<UserDirectory> {
    const file = path.join(dataDir, "users.json");
    const saved = existsSync(file) ? fileSchema.parse(JSON.parse(await readFile(file, "utf8"))) : undefined;
    const dir = new UserDirectory(file, new RealmGroups([...TENANTS, ...extraTenants], saved?.groups));
    for (const u of [...DEMO_USERS, ...SERVICE_ACCOUNTS]) {
      const groups = saved?.builtInGroups[u.id] ?? u.groups;
      dir.users.set(u.id, {
        ...u,
        groups: [...groups],
        enabled: true,
        emailVerified: Boolean(u.email),
        requiredActions: [],
        createdTimestamp: 0,
        builtIn: true,
      });
    }
    for (const { password, ...u } of saved?.invited ?? []) {
      dir.users.set(u.id, { ...u, direct: { realmRoles: [], apiRoles: [] }, builtIn: false });
      if (password) dir.passwords.set(u.id, password);
    }
    dir.actionTokens = (saved?.actionTokens ?? []).filter((t) => t.expiresAt > Date.now());
    for (const c of saved?.clients ?? []) dir.addClient(c);
    return dir;
  }

  all(): DirectoryUser[] {
    return [...this.users.values()];
  }

  byId(id: string): DirectoryUser | undefined {
    return this.users.get(id);
  }

  /** The login form accepts the username or the e-mail address, as the realm export allows. */
  byLogin(login: string): DirectoryUser | undefined {
    const l = login.trim().toLowerCase();
    return this.all().find(
      (u) => !u.serviceAccountClientId && (u.username === l || (u.email !== "" && u.email.toLowerCase() === l)),
    );
  }

  byServiceAccount(clientId: string): DirectoryUser | undefined {
    return this.all().find((u) => u.serviceAccountClientId === clientId);
  }

  groups(): DirectoryGroup[] {
    return this.realmGroups.all();
  }

  groupByPath(groupPath: string): DirectoryGroup | undefined {
    return this.realmGroups.byPath(groupPath);
  }

  groupById(id: string): DirectoryGroup | undefined {
    return this.realmGroups.byId(id);
  }

  subGroups(group: DirectoryGroup): DirectoryGroup[] {
    return this.realmGroups.children(group);
  }

  /** A group's role mappings by path, for the claims of its members. */
  readonly groupRolesOf = (groupPath: string): RoleMappings => this.realmGroups.rolesOf(groupPath);

  /** Creates a subgroup (Keycloak's `POST /groups/{id}/children`). @throws DirectoryConflict on a sibling with the same name */
  async createGroup(parent: DirectoryGroup, name: string): Promise<DirectoryGroup> {
    const group = this.realmGroups.createChild(parent, name);
    await this.save();
    return group;
  }

  /** Maps roles to a group; its members get them from their next token. */
  async addGroupRoles(group: DirectoryGroup, roles: Partial<RoleMappings>): Promise<void> {
    this.realmGroups.addRoles(group, roles);
    await this.save();
  }

  /** Creates a user without a password (they set one through an action token). */
  async create(input: {
    username: string;
    email: string;
    firstName: string;
    lastName: string;
    enabled: boolean;
    emailVerified: boolean;
    requiredActions: string[];
  }): Promise<DirectoryUser> {
    const username = input.username.trim().toLowerCase();
    const email = input.email.trim().toLowerCase();
    if (this.all().some((u) => u.username === username)) throw new DirectoryConflict("User exists with same username");
    if (email && this.all().some((u) => u.email.toLowerCase() === email))
      throw new DirectoryConflict("User exists with same email");
    const user: DirectoryUser = {
      ...input,
      id: randomUUID(),
      username,
      email,
      groups: [],
      direct: { realmRoles: [], apiRoles: [] },
      createdTimestamp: Date.now(),
      builtIn: false,
    };
    this.users.set(user.id, user);
    await this.save();
    return user;
  }

  async joinGroup(user: DirectoryUser, group: DirectoryGroup): Promise<void> {
    if (!user.groups.includes(group.path)) user.groups.push(group.path);
    await this.save();
  }

  async leaveGroup(user: DirectoryUser, group: DirectoryGroup): Promise<void> {
    user.groups = user.groups.filter((g) => g !== group.path);
    await this.save();
  }

  /** Demo users keep the demo password; invited users only what they set; service accounts none. */
  verifyPassword(user: DirectoryUser, password: string): boolean {
    if (user.serviceAccountClientId || !user.enabled) return false;
    const stored = this.passwords.get(user.id);
    if (stored)
      return timingSafeEqual(
        Buffer.from(stored.hash, "base64url"),
        scryptSync(password, Buffer.from(stored.salt, "base64url"), 32),
      );
    if (!user.builtIn) return false;
    const a = Buffer.from(password);
    const b = Buffer.from(DEMO_PASSWORD);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  /** A single-use token for the e-mailed link; only its hash is kept. */
  async issueActionToken(
    user: DirectoryUser,
    actions: string[],
    lifespanSeconds: number,
    client?: { clientId: string; redirectUri?: string },
  ): Promise<{ token: string; expiresAt: number }> {
    const token = randomBytes(32).toString("base64url");
    const expiresAt = Date.now() + lifespanSeconds * 1000;
    this.actionTokens = this.actionTokens.filter((t) => t.expiresAt > Date.now());
    this.actionTokens.push({
      hash: hashToken(token),
      userId: user.id,
      actions,
      expiresAt,
      clientId: client?.clientId,
      redirectUri: client?.redirectUri,
    });
    await this.save();
    return { token, expiresAt };
  }

  /** The pending token, or undefined when unknown, used or expired. */
  actionToken(token: string): ActionToken | undefined {
    const hash = hashToken(token);
    return this.actionTokens.find((t) => t.hash === hash && t.expiresAt > Date.now());
  }

  /** Uses the token once: sets the password, clears the required action, marks the address verified. */
  async completeActionToken(token: string, password: string): Promise<ActionToken | undefined> {
    const pending = this.actionToken(token);
    const user = pending && this.users.get(pending.userId);
    if (!pending || !user) return undefined;
    this.actionTokens = this.actionTokens.filter((t) => t !== pending);
    const salt = randomBytes(16);
    this.passwords.set(user.id, {
      salt: salt.toString("base64url"),
      hash: scryptSync(password, salt, 32).toString("base64url"),
    });
    user.requiredActions = user.requiredActions.filter((a) => !pending.actions.includes(a));
    user.emailVerified = true;
    await this.save();
    return pending;
  }

  /** Service-account clients created through the Admin API. */
  dynamicClients(): DynamicClient[] {
    return [...this.clients.values()];
  }

  dynamicClientById(id: string): DynamicClient | undefined {
    return this.clients.get(id);
  }

  dynamicClientByClientId(clientId: string): DynamicClient | undefined {
    return this.dynamicClients().find((c) => c.clientId === clientId);
  }

  /** Creates a confidential client with its service-account user. @throws DirectoryConflict when the clientId is taken */
  async createClient(clientId: string, name: string, secret?: string): Promise<DynamicClient> {
    if (this.dynamicClientByClientId(clientId) || this.byServiceAccount(clientId))
      throw new DirectoryConflict(`Client ${clientId} already exists`);
    const client = this.addClient(newDynamicClient(clientId, name, secret));
    await this.save();
    return client;
  }

  /** A new secret; the old one stops working at once (Keycloak's "regenerate secret"). */
  async regenerateClientSecret(client: DynamicClient): Promise<string> {
    client.secret = generateClientSecret();
    await this.save();
    return client.secret;
  }

  /** Removes the client and its service-account user: it can no longer get tokens. */
  async deleteClient(client: DynamicClient): Promise<void> {
    this.clients.delete(client.id);
    this.users.delete(client.serviceAccount.id);
    await this.save();
  }

  /** Maps `pontepa-api` client roles directly to a user (a service account of a dynamic client). */
  async addUserApiRoles(user: DirectoryUser, roles: RoleMappings["apiRoles"]): Promise<void> {
    user.direct = { ...user.direct, apiRoles: [...new Set([...user.direct.apiRoles, ...roles])].sort() };
    await this.save();
  }

  private addClient(client: DynamicClient): DynamicClient {
    this.clients.set(client.id, client);
    this.users.set(client.serviceAccount.id, {
      id: client.serviceAccount.id,
      username: `service-account-${client.clientId}`.toLowerCase(),
      firstName: "",
      lastName: "",
      email: "",
      groups: [...client.serviceAccount.groups],
      direct: { realmRoles: [], apiRoles: [...client.serviceAccount.apiRoles] },
      serviceAccountClientId: client.clientId,
      enabled: true,
      emailVerified: false,
      requiredActions: [],
      createdTimestamp: client.createdTimestamp,
      builtIn: false,
    });
    return client;
  }

  /** Dynamic clients with their service accounts' current groups and roles. */
  private clientSnapshot(): DynamicClient[] {
    return this.dynamicClients().map((c) => {
      const account = this.users.get(c.serviceAccount.id);
      return {
        ...c,
        serviceAccount: {
          id: c.serviceAccount.id,
          groups: account?.groups ?? [],
          apiRoles: account?.direct.apiRoles ?? [],
        },
      };
    });
  }

  /** Writes the whole state atomically (temporary file, then rename), one write at a time. */
  private save(): Promise<void> {
    const invited = this.all()
      .filter((u) => !u.builtIn && !u.serviceAccountClientId)
      .map(({ direct: _d, builtIn: _b, serviceAccountClientId: _s, ...u }) => ({
        ...u,
        password: this.passwords.get(u.id),
      }));
    const builtInGroups = Object.fromEntries(
      this.all()
        .filter((u) => u.builtIn)
        .map((u) => [u.id, u.groups]),
    );
    const text = `${JSON.stringify(fileSchema.parse({ version: 1, invited, builtInGroups, actionTokens: this.actionTokens, groups: this.realmGroups.snapshot(), clients: this.clientSnapshot() }), null, 2)}\n`;
    this.writing = this.writing
      .catch(() => undefined)
      .then(async () => {
        await mkdir(path.dirname(this.file), { recursive: true });
        const tmp = `${this.file}.${process.pid}.tmp`;
        await writeFile(tmp, text, { mode: 0o600 });
        await rename(tmp, this.file);
      });
    return this.writing;
  }
}
