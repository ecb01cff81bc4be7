import { readFileSync } from "node:fs";
import path from "node:path";
import * as client from "openid-client";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildRealmExport, DEMO_ATTRIBUTE } from "../../keycloak/realm-export.ts";
import { discover, loginAs, startIdp, TestBrowser, type RunningIdp } from "./test-browser.ts";

interface KcGroup {
  name: string;
  path: string;
  realmRoles?: string[];
  clientRoles?: Record<string, string[]>;
  subGroups?: KcGroup[];
}
interface KcUser {
  id: string;
  username: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  groups: string[];
  realmRoles: string[];
  clientRoles: Record<string, string[]>;
  credentials?: { type: string; value: string }[];
  attributes?: Record<string, string[]>;
  serviceAccountClientId?: string;
}
interface KcClient {
  clientId: string;
  secret?: string;
  redirectUris: string[];
  attributes: Record<string, string>;
  serviceAccountsEnabled: boolean;
  bearerOnly: boolean;
  protocolMappers?: { protocolMapper: string; config: Record<string, string> }[];
}
interface KcRealm {
  realm: string;
  groups: KcGroup[];
  users: KcUser[];
  clients: KcClient[];
}

const committed = JSON.parse(
  readFileSync(path.resolve(import.meta.dirname, "../../keycloak/realm-pontepa.json"), "utf8"),
) as KcRealm;

/** Keycloak's effective roles: the user's own mappings plus those of each group and its ancestors. */
function keycloakRoles(realm: KcRealm, user: KcUser) {
  const byPath = new Map<string, KcGroup>();
  const walk = (groups: KcGroup[]) => groups.forEach((g) => (byPath.set(g.path, g), walk(g.subGroups ?? [])));
  walk(realm.groups);
  const realmRoles = new Set(user.realmRoles);
  const clientRoles = new Map<string, Set<string>>();
  const addClient = (mappings: Record<string, string[]> = {}) =>
    Object.entries(mappings).forEach(([c, rs]) =>
      rs.forEach((r) => clientRoles.set(c, (clientRoles.get(c) ?? new Set()).add(r))),
    );
  addClient(user.clientRoles);
  for (const p of user.groups) {
    const segments = p.split("/").filter(Boolean);
    for (let i = 1; i <= segments.length; i++) {
      const group = byPath.get(`/${segments.slice(0, i).join("/")}`);
      if (!group) throw new Error(`user ${user.username} is in unknown group ${p}`);
      group.realmRoles?.forEach((r) => realmRoles.add(r));
      addClient(group.clientRoles);
    }
  }
  return {
    realm_access: { roles: [...realmRoles].sort() },
    ...(clientRoles.size
      ? { resource_access: Object.fromEntries([...clientRoles].map(([c, rs]) => [c, { roles: [...rs].sort() }])) }
      : {}),
    groups: user.groups,
  };
}

let run: RunningIdp;
beforeAll(async () => {
  run = await startIdp();
});
afterAll(async () => {
  await run.stop();
});

describe("infra/keycloak/realm-pontepa.json and the dev IdP agree", () => {
  test("the committed export is exactly what export-realm.ts generates from the realm data", () => {
    expect(committed).toEqual(JSON.parse(JSON.stringify(buildRealmExport())));
  });

  test("every demo user of the export logs in at the dev IdP with the export's password and gets the roles Keycloak would give", async () => {
    const backoffice = committed.clients.find((c) => c.clientId === "pontepa-backoffice")!;
    const config = await discover(run.issuer, backoffice.clientId, backoffice.secret!);
    const demoUsers = committed.users.filter((u) => u.attributes?.[DEMO_ATTRIBUTE]?.[0] === "true");
    expect(demoUsers.map((u) => u.username).sort()).toEqual([
      "admin.borgo",
      "admin.regione",
      "admin.valle",
      "helpdesk",
      "operatore.borgo",
      "operatore.valle",
      "viewer.borgo",
    ]);
    for (const user of demoUsers) {
      expect(user.credentials?.[0]?.value).toBe("demo");
      const { tokens } = await loginAs(new TestBrowser(), config, user.username);
      const claims = tokens.claims()!;
      expect(claims).toMatchObject({
        sub: user.id,
        preferred_username: user.username,
        email: user.email,
        name: `${user.firstName} ${user.lastName}`,
        ...keycloakRoles(committed, user),
      });
      if (!keycloakRoles(committed, user).resource_access) expect(claims.resource_access).toBeUndefined();
    }
  });

  test.each(["gestionale-borgo-fiorito", "pontepa-admin"])(
    "the service account of %s gets, with the export's secret, the roles and groups Keycloak would give",
    async (clientId) => {
      const serviceClient = committed.clients.find((c) => c.clientId === clientId && c.serviceAccountsEnabled)!;
      const account = committed.users.find((u) => u.serviceAccountClientId === serviceClient.clientId)!;
      const config = await discover(run.issuer, serviceClient.clientId, serviceClient.secret!);
      const { access_token } = await client.clientCredentialsGrant(config);
      const payload = JSON.parse(Buffer.from(access_token.split(".")[1]!, "base64url").toString()) as Record<
        string,
        unknown
      >;
      expect(payload).toMatchObject({
        sub: account.id,
        preferred_username: account.username,
        ...keycloakRoles(committed, account),
      });
    },
  );

  test("only the staff-administration client holds realm-management roles, exactly the five it needs", () => {
    const holders = committed.users.filter((u) => u.clientRoles["realm-management"]);
    expect(holders.map((u) => [u.serviceAccountClientId, u.clientRoles["realm-management"]])).toEqual([
      ["pontepa-admin", ["manage-users", "view-users", "query-groups", "view-realm", "view-clients", "manage-clients"]],
    ]);
    for (const g of committed.groups.flatMap(function all(x: KcGroup): KcGroup[] {
      return [x, ...(x.subGroups ?? []).flatMap(all)];
    }))
      expect(g.clientRoles?.["realm-management"]).toBeUndefined();
  });

  test("clients: PKCE S256, the dev IdP's redirect URIs, groups as full paths on every client that gets tokens", () => {
    const backoffice = committed.clients.find((c) => c.clientId === "pontepa-backoffice")!;
    expect(backoffice.attributes["pkce.code.challenge.method"]).toBe("S256");
    expect(backoffice.redirectUris).toEqual([
      "http://127.0.0.1:3000/backoffice/auth/callback",
      "http://localhost:3000/backoffice/auth/callback",
      "http://127.0.0.1:3000/backoffice/",
    ]);
    expect(backoffice.attributes["post.logout.redirect.uris"]).toBe("http://127.0.0.1:3000/backoffice/");
    expect(committed.clients.find((c) => c.clientId === "pontepa-api")!.bearerOnly).toBe(true);
    for (const c of committed.clients.filter((c) => !c.bearerOnly)) {
      const groups = c.protocolMappers?.find((m) => m.protocolMapper === "oidc-group-membership-mapper");
      expect(groups?.config).toMatchObject({
        "claim.name": "groups",
        "full.path": "true",
        "access.token.claim": "true",
        "id.token.claim": "true",
      });
    }
  });

  test("the production variant has no demo users and no development secrets", () => {
    const production = buildRealmExport({
      production: true,
      backofficeUrl: "https://pagamenti.regione.example/",
    }) as unknown as KcRealm;
    expect(production.users.every((u) => u.serviceAccountClientId)).toBe(true);
    expect(production.clients.every((c) => c.secret === undefined)).toBe(true);
    expect(production.clients.find((c) => c.clientId === "pontepa-backoffice")!.redirectUris).toEqual([
      "https://pagamenti.regione.example/backoffice/auth/callback",
      "https://pagamenti.regione.example/backoffice/",
    ]);
    expect(JSON.stringify(production)).not.toContain("dev-backoffice-secret");
    expect(JSON.stringify(production)).not.toContain("dev-admin-secret");
    expect(
      production.users.find((u) => u.serviceAccountClientId === "pontepa-admin")?.clientRoles["realm-management"],
    ).toEqual(["manage-users", "view-users", "query-groups", "view-realm", "view-clients", "manage-clients"]);
  });
});
