import http from "node:http";
import { mkdtempSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createSimulator } from "../../infra/nodo-simulator/app.ts";
import { simulatorConfigSchema } from "../../infra/nodo-simulator/config.ts";
import { makeCouncilReadyToGoLive, makeTenant } from "../../server/test/factories.ts";
import { romeDayOf } from "../../server/platform/rome-day.ts";
import {
  principal,
  sessionFor,
  startBackoffice,
  type Harness,
} from "../../server/test/harness/backoffice/backoffice-harness.ts";

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
    const live = await post("", { liveStationCode: council.liveStation, effectiveOn: romeDayOf(new Date()) });
    expect(live.status).toBe(303);
    expect(live.headers.get("location")).toBe(
      `/backoffice/piattaforma/enti/${council.t.ipaCode}/esercizio?esito=attivo`,
    );
    const shown = await (await get(`${h.base}${live.headers.get("location")}`)).text();
    expect(shown).toContain("L&#x27;ente è passato in esercizio sulla stazione di produzione.");
    expect(shown).toContain("Torna in collaudo");
    // Live: where and since when, and no check list saying the council is (not) in test.
    expect(shown).toMatch(
      new RegExp(
        `servito dalla stazione di produzione <span class="mono">${council.liveStation}</span> dal <strong>\\d{2}/\\d{2}/\\d{4}</strong>`,
      ),
    );
    expect(shown).not.toContain("L&#x27;ente è in collaudo");
    expect(shown).not.toContain('data-testid="go-live-checks"');

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

/** The alignment page against the simulator's back-office API: a planted IBAN mismatch is shown. */
describe("back-office: alignment with pagoPA", () => {
  let h: Harness;
  let sim: http.Server;
  let simBase: string;
  let platform: { cookie: string; csrf: string };

  beforeAll(async () => {
    const config = simulatorConfigSchema.parse({ NODO_SIM_DATA_DIR: mkdtempSync(path.join(tmpdir(), "nodo-sim-")) });
    sim = http.createServer(createSimulator(config, () => undefined).app);
    await new Promise<void>((r) => sim.listen(0, "127.0.0.1", r));
    simBase = `http://127.0.0.1:${(sim.address() as AddressInfo).port}`;
    h = await startBackoffice({ env: { PAGOPA_BACKOFFICE_URL: `${simBase}/backoffice/external/ec/v1` } });
    platform = await sessionFor(h, principal("admin.regione.test", ["platform-admin"], {}));
  }, 60_000);
  afterAll(async () => {
    await h.stop();
    await new Promise((r) => sim.close(r));
  });

  test("the page names the council whose IBAN pagoPA does not know; pagoPA down is said on the page", async () => {
    const t = await makeTenant(h.deps.db, { name: "Comune dell'IBAN" });
    const broker = (await h.deps.db.client.intermediary.findUniqueOrThrow({ where: { id: t.intermediaryId } }))
      .fiscalCode;
    const station = await h.deps.db.client.station.findUniqueOrThrow({ where: { id: t.stationId } });
    await h.deps.db.withTenant(t.id, (tx) =>
      tx.creditorAccount.create({
        data: {
          tenantId: t.id,
          iban: "IT60X0542811101000000123456",
          holder: t.name,
          effectiveFrom: new Date("2026-01-01"),
        },
      }),
    );
    await fetch(`${simBase}/admin/registry`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        institutions: [
          {
            taxCode: t.fiscalCode,
            companyName: t.name,
            brokerTaxCode: broker,
            brokerCompanyName: "Regione",
            stationId: station.code,
            segregationCode: t.segregationCode,
            cbillCode: t.cbill,
          },
        ],
        ibans: [
          {
            ciFiscalCode: t.fiscalCode,
            ciName: t.name,
            iban: "IT91Z0503411701000000004321",
            validityDate: "2026-01-01T00:00:00Z",
          },
        ],
      }),
    });
    const page = `${h.base}/backoffice/piattaforma/allineamento?intermediario=${broker}`;
    const res = await fetch(page, { headers: { cookie: platform.cookie, accept: "text/html" } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Comune dell&#x27;IBAN");
    expect(html).toContain("IBAN IT60X0542811101000000123456 (dal 01/01/2026) non registrato presso pagoPA");
    expect(html).toContain("IBAN IT91Z0503411701000000004321 attivo presso pagoPA ma non in vigore in PontePA");

    await new Promise((r) => sim.close(r));
    const down = await fetch(page, { headers: { cookie: platform.cookie, accept: "text/html" } });
    expect(down.status).toBe(502);
    expect(await down.text()).toContain("Non è stato possibile leggere l&#x27;anagrafica pagoPA");
    sim.listen(0);
  });
});
