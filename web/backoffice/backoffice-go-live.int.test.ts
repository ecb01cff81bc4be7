import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { makeCouncilReadyToGoLive } from "../../server/test/factories.ts";
import {
  principal,
  sessionFor,
  startBackoffice,
  type Harness,
} from "../../server/test/harness/backoffice/backoffice-harness.ts";

const romeToday = () => new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Rome" }).format(new Date());

/** The platform admin's go-live page over HTTP: check list, refusal in Italian, switch, way back. */
describe("back-office: a council's go-live page", () => {
  let h: Harness;
  let platform: { cookie: string; csrf: string };
  let tenantAdmin: { cookie: string; csrf: string };
  let council: Awaited<ReturnType<typeof makeCouncilReadyToGoLive>>;

  beforeAll(async () => {
    h = await startBackoffice();
    council = await makeCouncilReadyToGoLive(h.deps.db, { name: "Comune di Collaudo" });
    platform = await sessionFor(h, principal("admin.regione.test", ["platform-admin"], {}));
    tenantAdmin = await sessionFor(h, principal("admin.collaudo", [], { [council.t.ipaCode]: ["tenant-admin"] }));
  }, 60_000);
  afterAll(async () => {
    await h.stop();
  });

  const page = () => `${h.base}/backoffice/piattaforma/enti/${council.t.ipaCode}/esercizio`;
  const post = (path: string, fields: Record<string, string>, who = platform) =>
    fetch(`${page()}${path}`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie: who.cookie, "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
      body: new URLSearchParams({ _csrf: who.csrf, ...fields }).toString(),
    });
  const get = (url: string, who = platform) =>
    fetch(url, { redirect: "manual", headers: { cookie: who.cookie, accept: "text/html" } });

  test("only the platform admin sees it; the check list is all done for a ready council", async () => {
    expect((await get(page(), tenantAdmin)).status).toBe(403);
    const html = await (await get(page())).text();
    expect(html).toContain("Passaggio in esercizio");
    expect(html).not.toContain(">Manca<");
    expect(html).toContain(`<option value="${council.liveStation}" selected>`);
  });

  test("a past day is refused beside its field and in the summary, in Italian; nothing changes", async () => {
    const refused = await post("", { liveStationCode: council.liveStation, effectiveOn: "2020-01-01" });
    expect(refused.status).toBe(422);
    const html = await refused.text();
    expect(html).toMatch(/In esercizio dal: la data è passata: al più presto oggi, \d{2}\/\d{2}\/\d{4}/);
    expect(html).toContain('href="#effectiveOn"');
    const t = await h.deps.db.client.tenant.findUniqueOrThrow({ where: { id: council.t.id } });
    expect(t.status).toBe("TEST");
  });

  test("today: the council goes live on the production station; the way back needs a reason and returns it to test", async () => {
    const live = await post("", { liveStationCode: council.liveStation, effectiveOn: romeToday() });
    expect(live.status).toBe(303);
    expect(live.headers.get("location")).toBe(
      `/backoffice/piattaforma/enti/${council.t.ipaCode}/esercizio?esito=attivo`,
    );
    const shown = await (await get(`${h.base}${live.headers.get("location")}`)).text();
    expect(shown).toContain("L&#x27;ente è passato in esercizio sulla stazione di produzione.");
    expect(shown).toContain("Torna in collaudo");

    const noReason = await post("/ritorno", { reason: "" });
    expect(noReason.status).toBe(422);
    expect(await noReason.text()).toContain("Motivo: scrivi il motivo (almeno 10 caratteri)");
    const back = await post("/ritorno", { reason: "IBAN registrato male presso pagoPA" });
    expect(back.status).toBe(303);
    const t = await h.deps.db.client.tenant.findUniqueOrThrow({
      where: { id: council.t.id },
      include: { station: true },
    });
    expect([t.status, t.station.code]).toEqual(["TEST", council.testStation]);
    const history = await (await get(page())).text();
    expect(history).toContain("Tornato in collaudo");
    expect(history).toContain("IBAN registrato male presso pagoPA");
  });
});
