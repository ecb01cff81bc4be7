import * as client from "openid-client";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { discover, loginAs, startIdp, TestBrowser, type RunningIdp } from "./test-browser.ts";

const ADMIN = { clientId: "pontepa-admin", secret: "dev-admin-secret" };
const GESTIONALE = { clientId: "gestionale-borgo-fiorito", secret: "dev-gestionale-secret" };
const ELENA = "8b0e7d1c-1f0a-4a51-9d3e-0c5a4f1b2a07"; // viewer.borgo
const PAOLO = "8b0e7d1c-1f0a-4a51-9d3e-0c5a4f1b2a06"; // operatore.valle
const IPA = "c_nuovo1";

let run: RunningIdp;
let admin: string;
let api: string;

const tokenOf = async (c: { clientId: string; secret: string }) =>
  (await client.clientCredentialsGrant(await discover(run.issuer, c.clientId, c.secret))).access_token;
const call = (path: string, init: RequestInit = {}, token = admin) =>
  fetch(`${api}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${token}`,
      ...(init.body ? { "content-type": "application/json" } : {}),
      ...init.headers,
    },
  });
const post = (path: string, body: unknown, token = admin) =>
  call(path, { method: "POST", body: JSON.stringify(body) }, token);
const json = async <T = Record<string, unknown>>(res: Response | Promise<Response>) => (await (await res).json()) as T;
const payloadOf = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;

beforeAll(async () => {
  run = await startIdp();
  api = `${run.base}/admin/realms/pontepa`;
  admin = await tokenOf(ADMIN);
});
afterAll(async () => {
  await run.stop();
});

describe("dev IdP: creating a council's groups through the Admin REST API", () => {
  test("refuses no token (401) and a realm token without realm-management roles (403) on every new endpoint", async () => {
    const tenants = await json<{ id: string }>(call("/group-by-path/tenants"));
    const gestionale = await tokenOf(GESTIONALE);
    const endpoints: [string, string][] = [
      ["POST", `/groups/${tenants.id}/children`],
      ["GET", "/roles/operator"],
      ["GET", "/clients?clientId=pontepa-api"],
      ["GET", `/groups/${tenants.id}/role-mappings`],
      ["POST", `/groups/${tenants.id}/role-mappings/realm`],
    ];
    for (const [method, path] of endpoints) {
      const body =
        method === "POST" ? JSON.stringify(path.endsWith("children") ? { name: "c_intruso" } : []) : undefined;
      expect(
        (await fetch(`${api}${path}`, { method, body, headers: { "content-type": "application/json" } })).status,
        `${method} ${path}`,
      ).toBe(401);
      const denied = await call(path, { method, body }, gestionale);
      expect(denied.status, `${method} ${path}`).toBe(403);
      expect(await denied.json()).toEqual({ error: "HTTP 403 Forbidden" });
    }
    expect((await call("/group-by-path/tenants/c_intruso")).status).toBe(404);
  });

  test("creates /tenants/<ipa> and a subgroup (201 + Location), 409 on a duplicate, 404 under an unknown parent", async () => {
    const tenants = await json<{ id: string }>(call("/group-by-path/tenants"));
    const created = await post(`/groups/${tenants.id}/children`, { name: IPA });
    expect(created.status).toBe(201);
    const council = await json<{ id: string }>(created);
    expect(council).toMatchObject({ name: IPA, path: `/tenants/${IPA}`, parentId: tenants.id });
    expect(created.headers.get("location")).toBe(`${api}/groups/${council.id}`);
    expect(await json(call(`/group-by-path/tenants/${IPA}`))).toMatchObject({
      id: council.id,
      path: `/tenants/${IPA}`,
      subGroupCount: 0,
    });

    const again = await post(`/groups/${tenants.id}/children`, { name: IPA });
    expect(again.status).toBe(409);
    expect(await again.json()).toEqual({ errorMessage: `Sibling group named '${IPA}' already exists.` });
    expect((await post("/groups/not-a-group/children", { name: "x" })).status).toBe(404);
    expect((await post(`/groups/${tenants.id}/children`, {})).status).toBe(400);

    const operators = await post(`/groups/${council.id}/children`, { name: "operators" });
    expect(operators.status).toBe(201);
    expect(await json(call(`/group-by-path/tenants/${IPA}/operators`))).toMatchObject({
      path: `/tenants/${IPA}/operators`,
      realmRoles: [],
      clientRoles: {},
    });
    expect(await json(call(`/group-by-path/tenants/${IPA}`))).toMatchObject({ subGroupCount: 1 });
  });

  test("maps a realm role and pontepa-api roles found by name; refuses a role whose id does not match (404)", async () => {
    const group = await json<{ id: string }>(call(`/group-by-path/tenants/${IPA}/operators`));
    const operator = await json<{ id: string; name: string }>(call("/roles/operator"));
    expect(operator).toMatchObject({ name: "operator", clientRole: false, composite: false });
    expect((await call("/roles/nessuno")).status).toBe(404);
    const [apiClient] = await json<{ id: string; clientId: string }[]>(call("/clients?clientId=pontepa-api"));
    expect(apiClient).toMatchObject({ clientId: "pontepa-api" });
    expect(await json(call("/clients?clientId=sconosciuto"))).toEqual([]);
    const read = await json<{ id: string; name: string }>(call(`/clients/${apiClient!.id}/roles/positions.read`));
    const write = await json<{ id: string; name: string }>(call(`/clients/${apiClient!.id}/roles/positions.write`));
    expect(read).toMatchObject({ name: "positions.read", clientRole: true, containerId: apiClient!.id });
    expect((await call(`/clients/${apiClient!.id}/roles/nessuno`)).status).toBe(404);

    expect(
      (await post(`/groups/${group.id}/role-mappings/realm`, [{ id: "forged", name: "platform-admin" }])).status,
    ).toBe(404);
    expect((await post(`/groups/${group.id}/role-mappings/realm`, [operator])).status).toBe(204);
    expect((await post(`/groups/${group.id}/role-mappings/clients/${apiClient!.id}`, [read, write])).status).toBe(204);
    // Mapping again is harmless, as in Keycloak.
    expect((await post(`/groups/${group.id}/role-mappings/realm`, [operator])).status).toBe(204);

    const mappings = await json<{
      realmMappings: { name: string }[];
      clientMappings: Record<string, { mappings: { name: string }[] }>;
    }>(call(`/groups/${group.id}/role-mappings`));
    expect(mappings.realmMappings.map((r) => r.name)).toEqual(["operator"]);
    expect(mappings.clientMappings["pontepa-api"]!.mappings.map((r) => r.name)).toEqual([
      "positions.read",
      "positions.write",
    ]);
    expect(await json(call(`/group-by-path/tenants/${IPA}/operators`))).toMatchObject({
      realmRoles: ["operator"],
      clientRoles: { "pontepa-api": ["positions.read", "positions.write"] },
    });
  });

  test("a member of the created group gets its roles in the tokens after login, and still after a restart", async () => {
    const group = await json<{ id: string }>(call(`/group-by-path/tenants/${IPA}/operators`));
    expect((await call(`/users/${ELENA}/groups/${group.id}`, { method: "PUT" })).status).toBe(204);
    const check = async () => {
      const { tokens } = await loginAs(new TestBrowser(), await discover(run.issuer), "viewer.borgo");
      expect(tokens.claims()).toMatchObject({
        groups: ["/tenants/c_x001/viewers", `/tenants/${IPA}/operators`],
        realm_access: { roles: ["operator", "viewer"] },
      });
      expect(payloadOf(tokens.access_token)).toMatchObject({
        resource_access: { "pontepa-api": { roles: ["positions.read", "positions.write", "receipts.read"] } },
      });
    };
    await check();
    // Roles come from the group's mappings, not from its name: an unmapped "viewers" gives nothing.
    const council = await json<{ id: string }>(call(`/group-by-path/tenants/${IPA}`));
    const viewers = await json<{ id: string }>(post(`/groups/${council.id}/children`, { name: "viewers" }));
    expect((await call(`/users/${PAOLO}/groups/${viewers.id}`, { method: "PUT" })).status).toBe(204);
    const { tokens } = await loginAs(new TestBrowser(), await discover(run.issuer), "operatore.valle");
    expect(tokens.claims()).toMatchObject({
      groups: ["/tenants/c_x002/operators", `/tenants/${IPA}/viewers`],
      realm_access: { roles: ["operator"] },
    });
    await run.stop({ keepData: true });
    run = await startIdp(run.dataDir);
    api = `${run.base}/admin/realms/pontepa`;
    admin = await tokenOf(ADMIN);
    expect(await json(call(`/group-by-path/tenants/${IPA}/operators`))).toMatchObject({
      id: group.id,
      realmRoles: ["operator"],
    });
    await check();
  });
});
