import * as client from "openid-client";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { discover, startIdp, type RunningIdp } from "./test-browser.ts";

const ADMIN = { clientId: "pontepa-admin", secret: "dev-admin-secret" };
const GESTIONALE = { clientId: "gestionale-borgo-fiorito", secret: "dev-gestionale-secret" };

let run: RunningIdp;
let api: string;
let admin: string;

async function tokenOf(c: { clientId: string; secret: string }) {
  return (await client.clientCredentialsGrant(await discover(run.issuer, c.clientId, c.secret))).access_token;
}
/** The raw token endpoint, so a refused secret shows as Keycloak's status and error. */
async function tokenRequest(clientId: string, secret: string) {
  const res = await fetch(`${run.issuer}/protocol/openid-connect/token`, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: "grant_type=client_credentials",
  });
  return { status: res.status, body: (await res.json()) as { access_token?: string; error?: string } };
}
const claimsOf = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
const call = (path: string, init: RequestInit = {}, token = admin) =>
  fetch(`${api}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, ...(init.body ? { "content-type": "application/json" } : {}) },
  });
const json = async <T>(path: string) => (await (await call(path)).json()) as T;

const newClient = (clientId: string) => ({
  clientId,
  name: "Gestionale mense",
  enabled: true,
  protocol: "openid-connect",
  publicClient: false,
  clientAuthenticatorType: "client-secret",
  serviceAccountsEnabled: true,
  standardFlowEnabled: false,
  directAccessGrantsEnabled: false,
});

beforeAll(async () => {
  run = await startIdp();
  api = `${run.base}/admin/realms/pontepa`;
  admin = await tokenOf(ADMIN);
});
afterAll(() => run.stop());

describe("dev IdP: Keycloak Admin REST API for clients", () => {
  test("creates a service-account client that gets tokens with the mapped group and roles; regenerate and delete take effect at once", async () => {
    const created = await call("/clients", { method: "POST", body: JSON.stringify(newClient("mense-borgo")) });
    expect(created.status).toBe(201);
    const id = created.headers.get("location")!.split("/").pop()!;
    expect((await call("/clients", { method: "POST", body: JSON.stringify(newClient("mense-borgo")) })).status).toBe(
      409,
    );
    expect(await json(`/clients?clientId=mense-borgo`)).toEqual([
      expect.objectContaining({
        id,
        clientId: "mense-borgo",
        serviceAccountsEnabled: true,
        standardFlowEnabled: false,
      }),
    ]);
    const { value: secret } = await json<{ value: string }>(`/clients/${id}/client-secret`);
    expect(secret).toMatch(/^[A-Za-z0-9]{32}$/);

    const account = await json<{ id: string; username: string }>(`/clients/${id}/service-account-user`);
    expect(account.username).toBe("service-account-mense-borgo");
    const systems = await json<{ id: string }>("/group-by-path/tenants/c_x001/systems");
    expect((await call(`/users/${account.id}/groups/${systems.id}`, { method: "PUT" })).status).toBe(204);
    const [api] = await json<{ id: string }[]>("/clients?clientId=pontepa-api");
    const payRole = await json<{ id: string; name: string }>(`/clients/${api!.id}/roles/payments.write`);
    expect(
      (
        await call(`/users/${account.id}/role-mappings/clients/${api!.id}`, {
          method: "POST",
          body: JSON.stringify([payRole]),
        })
      ).status,
    ).toBe(204);
    // A role id that does not match its name is refused, as Keycloak does.
    expect(
      (
        await call(`/users/${account.id}/role-mappings/clients/${api!.id}`, {
          method: "POST",
          body: JSON.stringify([{ ...payRole, name: "positions.write" }]),
        })
      ).status,
    ).toBe(404);

    const first = await tokenRequest("mense-borgo", secret);
    expect(first.status).toBe(200);
    const claims = claimsOf(first.body.access_token!);
    expect(claims).toMatchObject({ azp: "mense-borgo", groups: ["/tenants/c_x001/systems"] });
    expect((claims.resource_access as Record<string, { roles: string[] }>)["pontepa-api"]!.roles).toContain(
      "payments.write",
    );

    const regenerated = await call(`/clients/${id}/client-secret`, { method: "POST" });
    expect(regenerated.status).toBe(200);
    const { value: rotated } = (await regenerated.json()) as { type: string; value: string };
    expect(rotated).not.toBe(secret);
    expect(await tokenRequest("mense-borgo", secret)).toMatchObject({ status: 401, body: { error: "invalid_client" } });
    expect((await tokenRequest("mense-borgo", rotated)).status).toBe(200);

    expect((await call(`/clients/${id}`, { method: "DELETE" })).status).toBe(204);
    expect(await tokenRequest("mense-borgo", rotated)).toMatchObject({
      status: 401,
      body: { error: "invalid_client" },
    });
    expect((await call(`/clients/${id}`)).status).toBe(404);
    expect((await call(`/users/${account.id}`)).status).toBe(404);
  });

  test("a created client survives a restart of the IdP (kept in the data dir)", async () => {
    const created = await call("/clients", { method: "POST", body: JSON.stringify(newClient("tributi-valle")) });
    const id = created.headers.get("location")!.split("/").pop()!;
    const { value: secret } = await json<{ value: string }>(`/clients/${id}/client-secret`);
    const account = await json<{ id: string }>(`/clients/${id}/service-account-user`);
    const systems = await json<{ id: string }>("/group-by-path/tenants/c_x002/systems");
    await call(`/users/${account.id}/groups/${systems.id}`, { method: "PUT" });

    await run.stop({ keepData: true });
    run = await startIdp(run.dataDir);
    api = `${run.base}/admin/realms/pontepa`;
    admin = await tokenOf(ADMIN);
    const again = await tokenRequest("tributi-valle", secret);
    expect(again.status).toBe(200);
    expect(claimsOf(again.body.access_token!).groups).toEqual(["/tenants/c_x002/systems"]);
  });

  test("only realm-management roles open the client endpoints; only service-account clients are created", async () => {
    const gestionale = await tokenOf(GESTIONALE);
    expect(
      (await call("/clients", { method: "POST", body: JSON.stringify(newClient("x-y")) }, gestionale)).status,
    ).toBe(403);
    const browserClient = { ...newClient("browser"), standardFlowEnabled: true };
    expect((await call("/clients", { method: "POST", body: JSON.stringify(browserClient) })).status).toBe(400);
    expect((await call("/clients/not-a-client/client-secret", { method: "POST" })).status).toBe(404);
  });
});
