import { createHash, randomUUID } from "node:crypto";
import { z } from "zod";
import {
  API_ROLES,
  groupPaths,
  groupRoles,
  REALM_ROLES,
  type ApiRole,
  type RealmRole,
  type RoleMappings,
} from "./realm-data.ts";

/** A group of the realm with its role mappings, as Keycloak keeps it. */
export interface DirectoryGroup {
  id: string;
  name: string;
  path: string;
  parentId?: string;
  realmRoles: RealmRole[];
  apiRoles: ApiRole[];
  /** From realm-data.ts (rebuilt at every start); otherwise created through the Admin API. */
  builtIn: boolean;
}

/** Thrown when the realm already has what the caller wants to create (409). */
export class DirectoryConflict extends Error {}

/** Keycloak-like stable ids for groups: derived from the path, so they survive restarts. */
export function groupIdOf(groupPath: string): string {
  return stableId(`pontepa-group:${groupPath}`);
}

/** A UUID-shaped id derived from `seed` (roles and clients of the realm data have fixed ids, as after an import). */
export function stableId(seed: string): string {
  const h = createHash("sha256").update(seed).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const realmRole = z.enum(REALM_ROLES.map((r) => r.name) as [RealmRole, ...RealmRole[]]);
const apiRole = z.enum(API_ROLES.map((r) => r.name) as [ApiRole, ...ApiRole[]]);
const mappingsSchema = z.object({ realmRoles: z.array(realmRole), apiRoles: z.array(apiRole) });
/** What users.json keeps of the groups: those created at run time, and roles added to built-in ones. */
export const savedGroupsSchema = z.object({
  created: z.array(mappingsSchema.extend({ id: z.string(), path: z.string() })),
  addedRoles: z.record(z.string(), mappingsSchema),
});
export type SavedGroups = z.infer<typeof savedGroupsSchema>;

const sorted = <T extends string>(values: Iterable<T>) => [...new Set(values)].sort();

/**
 * The realm's groups: the realm data's (for the demo councils and any `extraTenants`), plus
 * groups created through the Admin API with the roles mapped to them. Roles of a group count for
 * its members exactly like the realm data's do (`rolesOf`).
 */
export class RealmGroups {
  private readonly byPathMap = new Map<string, DirectoryGroup>();

  constructor(tenants: ReadonlyArray<{ ipaCode: string }>, saved?: SavedGroups) {
    for (const p of groupPaths(tenants)) {
      const roles = groupRoles(p);
      const added = saved?.addedRoles[p];
      this.add({
        id: groupIdOf(p),
        path: p,
        realmRoles: sorted([...roles.realmRoles, ...(added?.realmRoles ?? [])]),
        apiRoles: sorted([...roles.apiRoles, ...(added?.apiRoles ?? [])]),
        builtIn: true,
      });
    }
    // Parents were created before children, and the file keeps that order.
    for (const g of saved?.created ?? []) if (!this.byPathMap.has(g.path)) this.add({ ...g, builtIn: false });
  }

  all(): DirectoryGroup[] {
    return [...this.byPathMap.values()];
  }

  byPath(groupPath: string): DirectoryGroup | undefined {
    return this.byPathMap.get(groupPath);
  }

  byId(id: string): DirectoryGroup | undefined {
    return this.all().find((g) => g.id === id);
  }

  children(group: DirectoryGroup): DirectoryGroup[] {
    return this.all().filter((g) => g.parentId === group.id);
  }

  /** Keycloak refuses a sibling with the same name (409). */
  createChild(parent: DirectoryGroup, name: string): DirectoryGroup {
    const childPath = `${parent.path}/${name}`;
    if (this.byPathMap.has(childPath)) throw new DirectoryConflict(`Sibling group named '${name}' already exists.`);
    return this.add({ id: randomUUID(), path: childPath, realmRoles: [], apiRoles: [], builtIn: false });
  }

  /** Adds role mappings (already present ones are kept once, as Keycloak does). */
  addRoles(group: DirectoryGroup, roles: Partial<RoleMappings>): void {
    group.realmRoles = sorted([...group.realmRoles, ...(roles.realmRoles ?? [])]);
    group.apiRoles = sorted([...group.apiRoles, ...(roles.apiRoles ?? [])]);
  }

  /** A group's role mappings by path; a path the realm does not have carries none. */
  readonly rolesOf = (groupPath: string): RoleMappings => {
    const g = this.byPathMap.get(groupPath);
    return g ? { realmRoles: g.realmRoles, apiRoles: g.apiRoles } : { realmRoles: [], apiRoles: [] };
  };

  snapshot(): SavedGroups {
    const created = this.all()
      .filter((g) => !g.builtIn)
      .map(({ id, path, realmRoles, apiRoles }) => ({ id, path, realmRoles, apiRoles }));
    const addedRoles: SavedGroups["addedRoles"] = {};
    for (const g of this.all().filter((x) => x.builtIn)) {
      const base = groupRoles(g.path);
      const realm = g.realmRoles.filter((r) => !base.realmRoles.includes(r));
      const api = g.apiRoles.filter((r) => !base.apiRoles.includes(r));
      if (realm.length || api.length) addedRoles[g.path] = { realmRoles: realm, apiRoles: api };
    }
    return { created, addedRoles };
  }

  private add(g: Omit<DirectoryGroup, "name" | "parentId">): DirectoryGroup {
    const parent = g.path.slice(0, g.path.lastIndexOf("/"));
    const group: DirectoryGroup = {
      ...g,
      name: g.path.slice(g.path.lastIndexOf("/") + 1),
      ...(parent ? { parentId: this.byPathMap.get(parent)?.id ?? groupIdOf(parent) } : {}),
    };
    this.byPathMap.set(group.path, group);
    return group;
  }
}
