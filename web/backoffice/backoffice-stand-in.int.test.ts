import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { makeTenant } from "../../server/test/factories.ts";
import { createPosition } from "../../server/positions/index.ts";
import {
  principal,
  sessionFor,
  startBackoffice,
  type Harness,
} from "../../server/test/harness/backoffice/backoffice-harness.ts";

/** The council's Stand-In (ACA) page over HTTP: who may switch, what the switch does, audited. */
describe("back-office: the Stand-In (ACA) switch", () => {
  let h: Harness;
  let admin: { cookie: string; csrf: string };
  let viewer: { cookie: string; csrf: string };
  let t: Awaited<ReturnType<typeof makeTenant>>;

  beforeAll(async () => {
    h = await startBackoffice();
    t = await makeTenant(h.deps.db, { name: "Comune di Prova Stand-In" });
    admin = await sessionFor(h, principal("admin.standin", [], { [t.ipaCode]: ["tenant-admin"] }));
    viewer = await sessionFor(h, principal("vista.standin", [], { [t.ipaCode]: ["viewer"] }));
    await createPosition(
      h.deps.db,
      t,
      {
        debtor: { fiscalCode: "RSSMRA80A01H501U", name: "Mario Rossi" },
        subject: "Mensa",
        single: {
          amountCents: 1000,
          dueDate: new Date(Date.now() + 30 * 86_400_000),
          transfers: [
            {
              iban: "IT60X0542811101000000123456",
              amountCents: 1000,
              taxonomyCode: "9/0101002IM/",
              remittanceText: "x",
            },
          ],
        },
      },
      { type: "system", id: "test" },
    );
  }, 60_000);
  afterAll(async () => {
    await h.stop();
  });

  const page = () => `${h.base}/backoffice/enti/${t.ipaCode}/stand-in`;
  const get = (who: typeof admin, query = "") =>
    fetch(`${page()}${query}`, { headers: { cookie: who.cookie, accept: "text/html" } });
  const post = (who: typeof admin, attivo: string) =>
    fetch(page(), {
      method: "POST",
      redirect: "manual",
      headers: { cookie: who.cookie, "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
      body: new URLSearchParams({ _csrf: who.csrf, attivo }).toString(),
    });
  const enabled = async () =>
    (await h.deps.db.client.tenant.findUniqueOrThrow({ where: { id: t.id }, select: { acaEnabled: true } })).acaEnabled;

  test("a viewer reads the state but may not switch", async () => {
    const html = await (await get(viewer)).text();
    expect(html).toContain("Stand-In (ACA)");
    expect(html).toContain("Non attivo");
    expect(html).not.toContain('data-testid="stand-in-switch"');
    expect((await post(viewer, "si")).status).toBe(403);
    expect(await enabled()).toBe(false);
  });

  test("the council's admin switches it on (the existing notice is queued for the archive), then off; audited", async () => {
    const on = await post(admin, "si");
    expect(on.status).toBe(303);
    expect(on.headers.get("location")).toMatch(/stand-in\?esito=attivato$/);
    expect(await enabled()).toBe(true);
    const html = await (await get(admin, "?esito=attivato")).text();
    expect(html).toContain("Allineamento Stand-In attivato");
    expect(html).toMatch(/In attesa di invio<\/dt><dd class="col-sm-8">1</);
    expect(html).toContain("Disattiva l'allineamento");

    expect((await post(admin, "forse")).status).toBe(422);
    expect((await post(admin, "no")).status).toBe(303);
    expect(await enabled()).toBe(false);
    const audit = await h.deps.db.withTenant(t.id, (tx) =>
      tx.auditLog.findMany({ where: { action: "tenant.aca-switch" }, orderBy: { at: "asc" } }),
    );
    expect(audit.map((a) => a.after)).toEqual([{ acaEnabled: true }, { acaEnabled: false }]);
  });
});
