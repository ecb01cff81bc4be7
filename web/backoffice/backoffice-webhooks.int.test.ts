import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTenant } from "../../server/test/factories.ts";
import { createPosition } from "../../server/positions/index.ts";
import { GuardedHttp } from "../../server/platform/http/guarded-http.ts";
import { runWebhookRelay, verifySignature } from "../../server/webhooks/index.ts";
import { TestReceiver } from "../../server/test/harness/webhooks/test-receiver.ts";
import type { Tenant } from "../../server/generated/prisma/client.ts";
import {
  principal,
  sessionFor,
  startBackoffice,
  type Harness,
} from "../../server/test/harness/backoffice/backoffice-harness.ts";

const IBAN = "IT60X0542811101000000123456";

/** The webhooks pages over HTTP, as a council's admin drives them (CSRF, permissions, secret shown once). */
describe("back-office: webhooks", () => {
  let h: Harness;
  let t: Tenant;
  let admin: { cookie: string; csrf: string };
  let viewer: { cookie: string; csrf: string };
  const receiver = new TestReceiver();
  let http: GuardedHttp;

  beforeAll(async () => {
    h = await startBackoffice();
    t = await makeTenant(h.deps.db, { name: "Comune dei Webhook" });
    admin = await sessionFor(h, principal("admin.webhook", [], { [t.ipaCode]: ["tenant-admin"] }));
    viewer = await sessionFor(h, principal("viewer.webhook", [], { [t.ipaCode]: ["viewer"] }));
    await receiver.start();
    http = new GuardedHttp({ blockPrivate: false, timeoutMs: 2_000 });
  }, 60_000);
  afterAll(async () => {
    http.close();
    await receiver.stop();
    await h.stop();
  });

  const url = (path: string) => `${h.base}/backoffice/enti/${t.ipaCode}${path}`;
  const post = (
    who: { cookie: string; csrf: string },
    path: string,
    fields: Record<string, string | string[]>,
    csrf = who.csrf,
  ) => {
    const body = new URLSearchParams({ _csrf: csrf });
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
  const relay = () =>
    runWebhookRelay(
      { ...h.deps, http, mailer: { send: async () => undefined, close: () => undefined } },
      { budgetMs: 5_000 },
    );
  // Handlebars escapes "=" (the base64 padding) as &#x3D;.
  const secretIn = (html: string) =>
    /id="webhook-secret"[^>]*>(whsec_[^<]+)</.exec(html)?.[1]?.replaceAll("&#x3D;", "=");

  it("creates an endpoint (secret shown once), delivers to it, replays, pauses, resumes and rotates", async () => {
    const list = await get(admin, "/webhook");
    expect(list.status).toBe(200);
    const listHtml = await list.text();
    expect(listHtml).toContain("Aggiungi un webhook");
    expect(listHtml).toContain(`href="/backoffice/enti/${t.ipaCode}/webhook"`); // the nav entry

    expect((await post(admin, "/webhook", { url: receiver.url, events: "position.created" }, "forged")).status).toBe(
      403,
    );
    const invalid = await post(admin, "/webhook", { url: "ftp://x.example/", events: [] });
    expect(invalid.status).toBe(422);
    const invalidHtml = await invalid.text();
    expect(invalidHtml).toContain("Sono ammessi solo indirizzi http o https");
    expect(invalidHtml).toContain("Scegli almeno un evento");

    const created = await post(admin, "/webhook", {
      url: receiver.url,
      description: "Gestionale tributi",
      events: ["position.created", "position.cancelled"],
    });
    expect(created.status).toBe(200);
    const secret = secretIn(await created.text());
    expect(secret).toBeDefined();
    const endpoint = await h.deps.db.withTenant(t.id, (tx) =>
      tx.webhookEndpoint.findFirstOrThrow({ where: { tenantId: t.id } }),
    );
    expect(endpoint.events).toEqual(["position.created", "position.cancelled"]);
    expect(await (await get(admin, "/webhook")).text()).not.toContain(secret!); // shown once only

    const position = await createPosition(
      h.deps.db,
      t,
      {
        debtor: { fiscalCode: "RSSMRA80A01H501U", name: "Mario Rossi" },
        subject: "Tassa rifiuti",
        single: {
          amountCents: 5_000,
          dueDate: new Date("2027-05-01"),
          transfers: [{ iban: IBAN, amountCents: 5_000, taxonomyCode: "9/0101002IM/", remittanceText: "TARI" }],
        },
      },
      { type: "system", id: "test" },
    );
    await relay();
    const first = receiver.received.find((r) => JSON.parse(r.body).data.positionId === position.id)!;
    expect(verifySignature(secret!, first, first.body)).toBe(true);

    const detail = await (await get(admin, `/webhook/${endpoint.id}`)).text();
    expect(detail).toContain("Consegnato");
    expect(detail).toContain("HTTP 200");
    expect(detail).toContain(first.id);

    const replay = await post(admin, `/webhook/${endpoint.id}/reinvia`, { eventId: first.id });
    expect(replay.status).toBe(200);
    expect(await replay.text()).toContain("Un evento sarà inviato di nuovo.");
    await relay();
    expect(receiver.acknowledged(first.id)).toBe(2);

    const today = new Date().toISOString().slice(0, 10);
    const range = await post(admin, `/webhook/${endpoint.id}/reinvia`, { dal: today, al: today });
    expect(range.status).toBe(200);
    expect(await range.text()).toMatch(/sarà inviato di nuovo|saranno inviati di nuovo/);
    const empty = await post(admin, `/webhook/${endpoint.id}/reinvia`, { dal: "2020-01-01", al: "2020-01-02" });
    expect(empty.status).toBe(422);
    expect(await empty.text()).toContain("Nessun evento da reinviare");

    const pause = await post(admin, `/webhook/${endpoint.id}/sospendi`, {});
    expect(pause.status).toBe(303);
    expect(await (await get(admin, `/webhook/${endpoint.id}`)).text()).toContain("Sospeso da un amministratore");
    expect((await relay()).delivered).toBe(0); // the range replay waits while paused
    expect((await post(admin, `/webhook/${endpoint.id}/riattiva`, {})).status).toBe(303);
    expect((await relay()).delivered).toBeGreaterThan(0);

    const rotated = await post(admin, `/webhook/${endpoint.id}/segreto`, {});
    expect(rotated.status).toBe(200);
    const rotatedPage = await rotated.text();
    const newSecret = secretIn(rotatedPage);
    // The layout shows the confirmation; the page itself must not repeat it.
    expect(rotatedPage.split("Segreto rinnovato.").length - 1).toBe(1);
    expect(newSecret).toBeDefined();
    expect(newSecret).not.toBe(secret);

    const actions = await h.deps.db.withTenant(t.id, (tx) =>
      tx.auditLog.findMany({ where: { entityId: endpoint.id }, orderBy: { at: "asc" }, select: { action: true } }),
    );
    expect(actions.map((a) => a.action)).toEqual([
      "webhook.create",
      "webhook.replay",
      "webhook.replay",
      "webhook.pause",
      "webhook.resume",
      "webhook.rotate-secret",
    ]);
    expect(
      JSON.stringify(
        await h.deps.db.withTenant(t.id, (tx) => tx.auditLog.findMany({ where: { entityId: endpoint.id } })),
      ),
    ).not.toContain(newSecret!);
  });

  it("lets a viewer read the webhooks but change nothing", async () => {
    const endpoint = await h.deps.db.withTenant(t.id, (tx) =>
      tx.webhookEndpoint.findFirstOrThrow({ where: { tenantId: t.id } }),
    );
    const list = await get(viewer, "/webhook");
    expect(list.status).toBe(200);
    expect(await list.text()).not.toContain("Aggiungi un webhook");
    expect((await get(viewer, `/webhook/${endpoint.id}`)).status).toBe(200);
    for (const path of [
      "/webhook",
      `/webhook/${endpoint.id}/segreto`,
      `/webhook/${endpoint.id}/sospendi`,
      `/webhook/${endpoint.id}/reinvia`,
    ])
      expect((await post(viewer, path, { url: receiver.url, events: "position.created" })).status, path).toBe(403);
    expect((await get(admin, "/webhook/00000000-0000-7000-8000-000000000000")).status).toBe(404);
  });
});
