import { randomInt } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTenant } from "../../server/test/factories.ts";
import type { Tenant } from "../../server/generated/prisma/client.ts";
import {
  principal,
  sessionFor,
  startBackoffice,
  type Harness,
} from "../../server/test/harness/backoffice/backoffice-harness.ts";

/**
 * A council admin manages the council's API clients from the back-office, through the realm's
 * Admin REST API (the dev IdP): the secret is shown once; the client gets tokens bound to its
 * council with the chosen roles and calls the API; a rotated secret is refused; a revoked
 * client's token, even one issued before, is refused by the API and it gets no new one.
 */
describe("back-office: API clients", () => {
  let h: Harness;
  let t: Tenant;
  let admin: { cookie: string; csrf: string };
  let operator: { cookie: string; csrf: string };

  beforeAll(async () => {
    const ipa = `c_k${randomInt(1e9).toString(36)}`;
    h = await startBackoffice({ withIdp: true, idpTenants: [ipa] });
    t = await makeTenant(h.deps.db, { name: "Comune dei Client", ipaCode: ipa });
    admin = await sessionFor(h, principal("admin.client", [], { [t.ipaCode]: ["tenant-admin"] }));
    operator = await sessionFor(h, principal("operatore.client", [], { [t.ipaCode]: ["operator"] }));
  }, 60_000);
  afterAll(() => h.stop());

  const url = (path: string) => `${h.base}/backoffice/enti/${t.ipaCode}${path}`;
  const post = (
    who: { cookie: string; csrf: string },
    path: string,
    fields: Record<string, string | string[]> = {},
  ) => {
    const body = new URLSearchParams({ _csrf: who.csrf });
    for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) body.append(k, one);
    return fetch(url(path), {
      method: "POST",
      redirect: "manual",
      headers: { cookie: who.cookie, "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
      body: body.toString(),
    });
  };
  const get = (who: { cookie: string }, path: string) =>
    fetch(url(path), { redirect: "manual", headers: { cookie: who.cookie, accept: "text/html" } });
  const shown = (html: string, id: string) => new RegExp(`id="${id}"[^>]*>([^<]+)<`).exec(html)?.[1];
  const token = async (clientId: string, secret: string) => {
    const res = await fetch(`${h.idp!.issuer}/protocol/openid-connect/token`, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: "grant_type=client_credentials",
    });
    return { status: res.status, accessToken: ((await res.json()) as { access_token?: string }).access_token };
  };
  const api = (path: string, bearer: string, init: RequestInit = {}) =>
    fetch(`${h.base}/api/v1/tenants/${t.ipaCode}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${bearer}`, ...(init.body ? { "content-type": "application/json" } : {}) },
    });

  it("is for the council's admins only, and refuses a bad form with the fields named", async () => {
    expect((await get(operator, "/client-api")).status).toBe(403);
    expect((await post(operator, "/client-api", { name: "X", roles: "read" })).status).toBe(403);
    const page = await get(admin, "/client-api");
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Nuovo client API");
    expect(html).toContain(`href="/backoffice/enti/${t.ipaCode}/client-api"`); // the nav entry
    const forged = await post({ ...admin, csrf: "forged" }, "/client-api", { name: "Gestionale", roles: "read" });
    expect(forged.status).toBe(403);

    const bad = await post(admin, "/client-api", {
      name: "Gestionale",
      roles: [],
      prefixes: "ftp://portale.example/\nhttps://portale.example",
    });
    expect(bad.status).toBe(422);
    const badHtml = await bad.text();
    expect(badHtml).toContain("Scegli almeno un&#x27;autorizzazione");
    expect(badHtml).toContain("Nessun client API.");
  });

  it("create (secret once) → token → API; rotate (old secret refused); revoke (issued token and new tokens refused); audited", async () => {
    const created = await post(admin, "/client-api", {
      name: "Gestionale mense",
      roles: "read",
      prefixes: "https://mense.comune.example/ritorno/\nhttp://localhost:8080/",
    });
    expect(created.status).toBe(200);
    const html = await created.text();
    const clientId = shown(html, "client-id")!;
    const secret = shown(html, "client-secret")!;
    expect(clientId).toMatch(new RegExp(`^${t.ipaCode}-gestionale-mense-[0-9a-f]{6}$`));
    expect(secret).toMatch(/^[A-Za-z0-9]{32}$/);
    // Shown once: the list afterwards names the client, never the secret; the database has no secret.
    const list = await (await get(admin, "/client-api")).text();
    expect(list).toContain(clientId);
    expect(list).toContain("https://mense.comune.example/ritorno/");
    expect(list).not.toContain(secret);
    const row = await h.deps.db.withTenant(t.id, (tx) => tx.apiClient.findUniqueOrThrow({ where: { clientId } }));
    expect(row).toMatchObject({ name: "Gestionale mense", roles: ["read"], createdBy: "admin.client" });
    expect(JSON.stringify(row)).not.toContain(secret);
    // The webhook endpoints a client registered through the API are listed with it.
    const hook = await h.deps.db.withTenant(t.id, (tx) =>
      tx.webhookEndpoint.create({
        data: {
          tenantId: t.id,
          url: "https://mense.comune.example/eventi",
          events: ["position.paid"],
          secret: "whsec_dGVzdA==",
          apiClientId: clientId,
        },
      }),
    );
    expect(await (await get(admin, "/client-api")).text()).toContain(
      `<a href="/backoffice/enti/${t.ipaCode}/webhook/${hook.id}">https://mense.comune.example/eventi</a>`,
    );

    const first = await token(clientId, secret);
    expect(first.status).toBe(200);
    const read = await api("/positions", first.accessToken!);
    expect(read.status).toBe(200);
    // Read only: the systems group would grant write, the client's own choice does not.
    const write = await api("/positions", first.accessToken!, { method: "POST", body: "{}" });
    expect(write.status).toBe(403);

    const rotatedPage = await post(admin, `/client-api/${row.id}/segreto`);
    expect(rotatedPage.status).toBe(200);
    const rotated = shown(await rotatedPage.text(), "client-secret")!;
    expect(rotated).not.toBe(secret);
    expect((await token(clientId, secret)).status).toBe(401);
    const second = await token(clientId, rotated);
    expect(second.status).toBe(200);
    expect((await api("/positions", second.accessToken!)).status).toBe(200);

    const revoked = await post(admin, `/client-api/${row.id}/revoca`);
    expect(revoked.status).toBe(200);
    const revokedPage = await revoked.text();
    expect(revokedPage).toContain("Revocato");
    // The layout shows the confirmation; the page itself must not repeat it.
    expect(revokedPage.split("Client revocato: le sue credenziali").length - 1).toBe(1);
    const refused = await api("/positions", second.accessToken!);
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toContain('error="invalid_token"');
    expect((await token(clientId, rotated)).status).toBe(401);
    // A revoked client has no rotate or revoke buttons, and its id no longer rotates.
    expect((await post(admin, `/client-api/${row.id}/segreto`)).status).toBe(404);

    const audit = await h.deps.db.withTenant(t.id, (tx) =>
      tx.auditLog.findMany({ where: { tenantId: t.id, entityId: row.id }, orderBy: { at: "asc" } }),
    );
    expect(audit.map((a) => a.action)).toEqual(["api-client.create", "api-client.rotate-secret", "api-client.revoke"]);
    expect(JSON.stringify(audit)).not.toContain(secret);
    expect(JSON.stringify(audit)).not.toContain(rotated);
  }, 60_000);
});
