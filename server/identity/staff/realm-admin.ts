import { z } from "zod";

/** Why a call to the realm's Admin REST API failed; the use cases turn it into Italian. */
export class RealmAdminError extends Error {
  constructor(
    /** unreachable: network, timeout or 5xx; refused: 401/403/400; conflict: 409; not-found: 404. */
    readonly kind: "unreachable" | "refused" | "conflict" | "not-found",
    message: string,
  ) {
    super(message);
    this.name = "RealmAdminError";
  }
}

const userSchema = z.object({
  id: z.string().min(1),
  username: z.string(),
  email: z.string().optional(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  enabled: z.boolean().default(true),
  requiredActions: z.array(z.string()).default([]),
});
export type RealmUser = z.infer<typeof userSchema>;

const groupSchema = z.object({ id: z.string().min(1), name: z.string(), path: z.string() });
export type RealmGroup = z.infer<typeof groupSchema>;

/** What the staff use cases need from the realm; `RealmAdmin` is the HTTP implementation. */
export interface RealmDirectory {
  findUserByEmail(email: string): Promise<RealmUser | null>;
  createUser(user: { username: string; email: string; firstName: string; lastName: string }): Promise<string>;
  groupByPath(path: string): Promise<RealmGroup | null>;
  userGroups(userId: string): Promise<RealmGroup[]>;
  joinGroup(userId: string, groupId: string): Promise<void>;
  leaveGroup(userId: string, groupId: string): Promise<void>;
  groupMembers(groupId: string): Promise<RealmUser[]>;
  sendActionsEmail(
    userId: string,
    actions: string[],
    options: { clientId: string; redirectUri: string },
  ): Promise<void>;
}

const roleSchema = z.object({ id: z.string().min(1), name: z.string().min(1) });
/** A role of the realm or of a client, as Keycloak's role-mapping endpoints want it (by id and name). */
export type RealmRoleRef = z.infer<typeof roleSchema>;
const mappingsSchema = z.object({
  realmMappings: z.array(roleSchema).default([]),
  clientMappings: z.record(z.string(), z.object({ mappings: z.array(roleSchema).default([]) })).default({}),
});

/** Role mappings of a group by role name: realm roles, and client roles by clientId. */
export interface GroupRoleNames {
  realm: string[];
  clients: Record<string, string[]>;
}

/** What creating a council's groups needs from the realm; `RealmAdmin` is the HTTP implementation. */
export interface RealmGroupAdmin {
  groupByPath(path: string): Promise<RealmGroup | null>;
  /** Creates a subgroup and returns its id. @throws RealmAdminError conflict when the parent already has one with that name */
  createChildGroup(parentId: string, name: string): Promise<string>;
  realmRole(name: string): Promise<RealmRoleRef>;
  /** The internal id of a client, found by its clientId. @throws RealmAdminError not-found */
  clientUuid(clientId: string): Promise<string>;
  clientRole(clientUuid: string, name: string): Promise<RealmRoleRef>;
  groupRoleMappings(groupId: string): Promise<GroupRoleNames>;
  addGroupRealmRoles(groupId: string, roles: RealmRoleRef[]): Promise<void>;
  addGroupClientRoles(groupId: string, clientUuid: string, roles: RealmRoleRef[]): Promise<void>;
}

export interface RealmAdminOptions {
  /** The realm's issuer, `<base>/realms/<realm>`; the Admin API is `<base>/admin/realms/<realm>`. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  timeoutMs?: number;
}

/** Keycloak's convention: the Admin REST API of `<base>/realms/<realm>` lives at `<base>/admin/realms/<realm>`. */
export function adminBaseOf(issuer: string): string {
  const m = /^(https?:\/\/.+?)\/realms\/([^/]+)\/?$/.exec(issuer);
  if (!m) throw new Error(`not a Keycloak realm issuer: ${issuer}`);
  return `${m[1]}/admin/realms/${m[2]}`;
}

const tokenSchema = z.object({ access_token: z.string(), expires_in: z.number().default(60) });
const PAGE = 100;

/**
 * A small client of Keycloak's Admin REST API (the dev IdP implements the same subset),
 * authenticated as the confidential service account `pontepa-admin` with client_credentials.
 * The token is reused until shortly before it expires and fetched again once on a 401.
 */
export class RealmAdmin implements RealmDirectory, RealmGroupAdmin {
  private readonly base: string;
  private token?: { value: string; until: number };

  constructor(private readonly options: RealmAdminOptions) {
    this.base = adminBaseOf(options.issuer);
  }

  async findUserByEmail(email: string): Promise<RealmUser | null> {
    const found = z
      .array(userSchema)
      .parse(await this.json("GET", `/users?${new URLSearchParams({ email, exact: "true" })}`));
    return found.find((u) => u.email?.toLowerCase() === email.toLowerCase()) ?? null;
  }

  async createUser(user: { username: string; email: string; firstName: string; lastName: string }): Promise<string> {
    const res = await this.call("POST", "/users", {
      ...user,
      enabled: true,
      emailVerified: false,
      requiredActions: ["UPDATE_PASSWORD"],
    });
    const id = /\/users\/([^/?#]+)$/.exec(res.headers.get("location") ?? "")?.[1];
    if (res.status !== 201 || !id)
      throw new RealmAdminError("unreachable", `user creation answered ${res.status} without a Location`);
    return decodeURIComponent(id);
  }

  async groupByPath(path: string): Promise<RealmGroup | null> {
    const segments = path.split("/").filter(Boolean).map(encodeURIComponent).join("/");
    try {
      return groupSchema.parse(await this.json("GET", `/group-by-path/${segments}`));
    } catch (err) {
      if (err instanceof RealmAdminError && err.kind === "not-found") return null;
      throw err;
    }
  }

  async userGroups(userId: string): Promise<RealmGroup[]> {
    return z.array(groupSchema).parse(await this.json("GET", `/users/${encodeURIComponent(userId)}/groups`));
  }

  async joinGroup(userId: string, groupId: string): Promise<void> {
    await this.call("PUT", `/users/${encodeURIComponent(userId)}/groups/${encodeURIComponent(groupId)}`);
  }

  async leaveGroup(userId: string, groupId: string): Promise<void> {
    await this.call("DELETE", `/users/${encodeURIComponent(userId)}/groups/${encodeURIComponent(groupId)}`);
  }

  async groupMembers(groupId: string): Promise<RealmUser[]> {
    const all: RealmUser[] = [];
    for (let first = 0; ; first += PAGE) {
      const page = z
        .array(userSchema)
        .parse(await this.json("GET", `/groups/${encodeURIComponent(groupId)}/members?first=${first}&max=${PAGE}`));
      all.push(...page);
      if (page.length < PAGE) return all;
    }
  }

  async sendActionsEmail(
    userId: string,
    actions: string[],
    options: { clientId: string; redirectUri: string },
  ): Promise<void> {
    const query = new URLSearchParams({ client_id: options.clientId, redirect_uri: options.redirectUri });
    await this.call("PUT", `/users/${encodeURIComponent(userId)}/execute-actions-email?${query}`, actions);
  }

  async createChildGroup(parentId: string, name: string): Promise<string> {
    const res = await this.call("POST", `/groups/${encodeURIComponent(parentId)}/children`, { name });
    const id = /\/groups\/([^/?#]+)$/.exec(res.headers.get("location") ?? "")?.[1];
    if (res.status !== 201 || !id)
      throw new RealmAdminError("unreachable", `group creation answered ${res.status} without a Location`);
    return decodeURIComponent(id);
  }

  async realmRole(name: string): Promise<RealmRoleRef> {
    return roleSchema.parse(await this.json("GET", `/roles/${encodeURIComponent(name)}`));
  }

  async clientUuid(clientId: string): Promise<string> {
    const found = z
      .array(z.object({ id: z.string().min(1), clientId: z.string() }))
      .parse(await this.json("GET", `/clients?${new URLSearchParams({ clientId })}`));
    const client = found.find((c) => c.clientId === clientId);
    if (!client) throw new RealmAdminError("not-found", `the realm has no client ${clientId}`);
    return client.id;
  }

  async clientRole(clientUuid: string, name: string): Promise<RealmRoleRef> {
    return roleSchema.parse(
      await this.json("GET", `/clients/${encodeURIComponent(clientUuid)}/roles/${encodeURIComponent(name)}`),
    );
  }

  async groupRoleMappings(groupId: string): Promise<GroupRoleNames> {
    const m = mappingsSchema.parse(await this.json("GET", `/groups/${encodeURIComponent(groupId)}/role-mappings`));
    return {
      realm: m.realmMappings.map((r) => r.name),
      clients: Object.fromEntries(Object.entries(m.clientMappings).map(([c, v]) => [c, v.mappings.map((r) => r.name)])),
    };
  }

  async addGroupRealmRoles(groupId: string, roles: RealmRoleRef[]): Promise<void> {
    await this.call(
      "POST",
      `/groups/${encodeURIComponent(groupId)}/role-mappings/realm`,
      roles.map(({ id, name }) => ({ id, name })),
    );
  }

  async addGroupClientRoles(groupId: string, clientUuid: string, roles: RealmRoleRef[]): Promise<void> {
    await this.call(
      "POST",
      `/groups/${encodeURIComponent(groupId)}/role-mappings/clients/${encodeURIComponent(clientUuid)}`,
      roles.map(({ id, name }) => ({ id, name })),
    );
  }

  protected async json(method: string, path: string): Promise<unknown> {
    const res = await this.call(method, path);
    try {
      return await res.json();
    } catch {
      throw new RealmAdminError("unreachable", `${method} ${path}: the answer is not JSON`);
    }
  }

  protected async call(method: string, path: string, body?: unknown, retried = false): Promise<Response> {
    const token = await this.accessToken();
    const res = await this.fetch(`${this.base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        accept: "application/json",
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status === 401 && !retried) {
      this.token = undefined;
      return this.call(method, path, body, true);
    }
    if (res.ok) return res;
    const detail = await res.text().catch(() => "");
    const what = `${method} ${path.split("?")[0]} answered ${res.status} ${detail.slice(0, 200)}`;
    if (res.status === 404) throw new RealmAdminError("not-found", what);
    if (res.status === 409) throw new RealmAdminError("conflict", what);
    if (res.status >= 500) throw new RealmAdminError("unreachable", what);
    throw new RealmAdminError("refused", what);
  }

  private async accessToken(): Promise<string> {
    if (this.token && this.token.until > Date.now()) return this.token.value;
    const basic = Buffer.from(
      `${encodeURIComponent(this.options.clientId)}:${encodeURIComponent(this.options.clientSecret)}`,
    ).toString("base64");
    const res = await this.fetch(`${this.options.issuer.replace(/\/+$/, "")}/protocol/openid-connect/token`, {
      method: "POST",
      headers: { authorization: `Basic ${basic}`, "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials",
    });
    if (res.status >= 500) throw new RealmAdminError("unreachable", `token endpoint answered ${res.status}`);
    if (!res.ok) throw new RealmAdminError("refused", `token endpoint refused the admin client (${res.status})`);
    const parsed = tokenSchema.safeParse(await res.json().catch(() => null));
    if (!parsed.success) throw new RealmAdminError("unreachable", "token endpoint answer not understood");
    // Renew 30 s early so a token never expires between our check and Keycloak's.
    this.token = {
      value: parsed.data.access_token,
      until: Date.now() + Math.max(0, parsed.data.expires_in - 30) * 1000,
    };
    return this.token.value;
  }

  private async fetch(url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, {
        ...init,
        redirect: "manual",
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5_000),
      });
    } catch (err) {
      throw new RealmAdminError(
        "unreachable",
        `${init.method ?? "GET"} ${url.split("?")[0]}: ${(err as Error).message}`,
      );
    }
  }
}
