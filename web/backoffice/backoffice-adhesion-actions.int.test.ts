import { randomInt } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startMailCatcher, type MailCatcher } from "../../infra/mail-catcher/catcher.ts";
import { RealmAdmin } from "../../server/identity/staff/index.ts";
import { dateAsDay, romeDayOf } from "../../server/platform/rome-day.ts";
import { fakeOrgFiscalCode, makeTenant } from "../../server/test/factories.ts";
import { p7mSignedBy } from "../../server/test/p7m.ts";
import {
  principal,
  sessionFor,
  startBackoffice,
  type Harness,
} from "../../server/test/harness/backoffice/backoffice-harness.ts";

const run = randomInt(1e9).toString(36);
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/'/g, "&#x27;").replace(/"/g, "&quot;");

describe("the helpdesk drives adhesions from the board: registry, Region door, each step to TEST, bulk waves", () => {
  let h: Harness;
  let catcher: MailCatcher;
  let helpdesk: { cookie: string; csrf: string };
  let testStation: string;
  let prodStation: string;
  const region = { ipa: `c_rg${run}`, cf: fakeOrgFiscalCode(), name: `Comune di Via Regia ${run}` };
  const wave = Array.from({ length: 200 }, (_, i) => ({
    ipa: `c_on${run}_${i}`,
    cf: fakeOrgFiscalCode(),
    name: `Comune Ondata ${run} N${i}`,
  }));

  const get = (path: string) =>
    fetch(`${h.base}/backoffice/assistenza/adesioni${path}`, {
      redirect: "manual",
      headers: { cookie: helpdesk.cookie, accept: "text/html" },
    });
  const post = (path: string, form: Record<string, string>) =>
    fetch(`${h.base}/backoffice/assistenza/adesioni${path}`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie: helpdesk.cookie, accept: "text/html" },
      body: new URLSearchParams({ _csrf: helpdesk.csrf, ...form }),
    });
  const upload = (path: string, field: string, fileName: string, file: Buffer, csrf = helpdesk.csrf) => {
    const form = new FormData();
    form.append("_csrf", csrf);
    form.append(field, new Blob([new Uint8Array(file)]), fileName);
    return fetch(`${h.base}/backoffice/assistenza/adesioni${path}`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie: helpdesk.cookie, accept: "text/html" },
      body: form,
    });
  };

  beforeAll(async () => {
    catcher = await startMailCatcher({ smtpPort: 0, httpPort: 0, max: 1000 });
    h = await startBackoffice({
      withIdp: true,
      idpSmtpUrl: `smtp://127.0.0.1:${catcher.smtpPort}`,
      env: {
        SMTP_URL: `smtp://127.0.0.1:${catcher.smtpPort}`,
        QUEUE_PREFIX: `${inject("queuePrefix")}-adhesion-actions`,
      },
    });
    const other = await makeTenant(h.deps.db);
    testStation = (
      await h.deps.db.client.station.create({
        data: { intermediaryId: other.intermediaryId, code: `${run}_COLL`, environment: "TEST" },
      })
    ).code;
    prodStation = (await h.deps.db.client.station.findFirstOrThrow({ where: { environment: "PROD" } })).code;
    helpdesk = await sessionFor(h, principal(`assistenza.${run}`, ["regional-helpdesk"], {}));
  }, 60_000);
  afterAll(async () => {
    await h.stop();
    await catcher.close();
  });

  it("imports the IPA registry, opens a request for a council and drives it through every step to TEST", async () => {
    const registry = [
      "Codice_IPA,Denominazione_ente,Codice_fiscale_ente,Mail1,Tipo_Mail1",
      `${region.ipa},"${region.name}",${region.cf},protocollo@pec.regia-${run}.it,Pec`,
      ...wave.map((w) => `${w.ipa},"${w.name}",${w.cf},pec@ondata-${run}.it,Pec`),
      "x,Senza codice,123,,",
    ].join("\n");
    expect((await upload("/elenco-ipa", "file", "enti.csv", Buffer.from(registry), "forged")).status).toBe(403);
    const imported = await (await upload("/elenco-ipa", "file", "enti.csv", Buffer.from(registry))).text();
    expect(imported).toContain("201 enti importati, 1 righe scartate.");
    expect(imported).toContain("Riga 203: codice IPA non valido");

    // The Region's door: an unknown code is refused next to its field; a known one opens the request.
    const unknown = await post("/nuova", { ipaCode: `c_ignoto${run}` });
    expect(unknown.status).toBe(422);
    expect(await unknown.text()).toContain('id="ipaCode-errore"');
    const opened = await post("/nuova", {
      ipaCode: region.ipa,
      contactName: "Paola Neri",
      contactFiscalCode: "RSSMRA85T10A562S",
      contactEmail: `paola.${run}@comune.example`,
    });
    expect(opened.status).toBe(303);
    expect(opened.headers.get("location")).toBe(`/backoffice/assistenza/adesioni/${region.ipa}?esito=aperta`);
    await expect
      .poll(() => catcher.messages.filter((m) => m.to.includes(`paola.${run}@comune.example`)).length)
      .toBe(1);

    let page = await (await get(`/${region.ipa}`)).text();
    expect(page).toContain("in corso: si attende che l&#x27;ente carichi la lettera di adesione firmata");
    expect(page).toContain("Carica la lettera firmata");

    // The council's steps, done by the helpdesk on its behalf.
    const letter = await get(`/${region.ipa}/lettera.pdf`);
    expect(letter.headers.get("content-type")).toBe("application/pdf");
    const pdf = Buffer.from(await letter.arrayBuffer());
    expect(
      (await upload(`/${region.ipa}/lettera`, "letter", "lettera.p7m", p7mSignedBy("Sindaco Regio", pdf))).status,
    ).toBe(303);
    page = await (await get(`/${region.ipa}`)).text();
    expect(page).toContain("firmatario indicato nel certificato: Sindaco Regio (firma non verificata)");
    const signed = await get(`/${region.ipa}/lettera-firmata`);
    expect(Buffer.from(await signed.arrayBuffer()).subarray(0, 1)[0]).toBe(0x30);
    expect(
      (
        await post(`/${region.ipa}/scheda`, {
          servizio0_nome: "Diritti di segreteria",
          servizio0_tassonomia: "9/0101100IM/",
          servizio0_modello: "base",
          fromDate: "2027-01-01",
        })
      ).status,
    ).toBe(303);

    // The Region's step: create the council on a TEST station, the referente invited.
    page = await (await get(`/${region.ipa}`)).text();
    expect(page).toContain("Crea l'ente in collaudo e invita il referente");
    expect(page).toContain(`<option value="${testStation}"`);
    expect(page).not.toContain(`<option value="${prodStation}"`);
    const onProd = await post(`/${region.ipa}/ente`, { stationCode: prodStation, segregationCode: "61" });
    expect(onProd.status).toBe(422);
    expect(await onProd.text()).toContain(
      '<div class="invalid-feedback d-block" id="stationCode-errore">Stazione di collaudo: un ente in adesione va creato su una stazione di test</div>',
    );
    const created = await post(`/${region.ipa}/ente`, { stationCode: testStation, segregationCode: "61" });
    expect(created.status, await created.text()).toBe(303);
    const tenant = await h.deps.db.client.tenant.findUniqueOrThrow({ where: { ipaCode: region.ipa } });
    expect(tenant.status).toBe("TEST");
    const realm = new RealmAdmin({
      issuer: h.idp!.issuer,
      clientId: "pontepa-admin",
      clientSecret: "dev-admin-secret",
    });
    expect(await realm.findUserByEmail(`paola.${run}@comune.example`)).not.toBeNull();

    // The account, then the plan sent: the request is done and the page leads to the collaudo.
    // The first account may start today (the council is in TEST), not in the past.
    const badAccount = await post(`/${region.ipa}/conti`, {
      iban: "IT60X0542811101000000123457",
      holder: region.name,
      effectiveFrom: dateAsDay(new Date(Date.now() - 86_400_000)),
    });
    expect(badAccount.status).toBe(422);
    const badAccountHtml = await badAccount.text();
    expect(badAccountHtml).toContain('id="iban-errore"');
    expect(badAccountHtml).toContain("Decorrenza: la decorrenza non può essere nel passato");
    const account = await post(`/${region.ipa}/conti`, {
      iban: "IT60X0542811101000000123456",
      holder: region.name,
      effectiveFrom: romeDayOf(new Date()),
    });
    expect(account.status).toBe(303);
    const plan = await (await get(`/${region.ipa}/piano.csv`)).text();
    expect(plan.split("\n")[1]).toContain(
      `${region.cf};${region.name};${region.ipa};${testStation};61;Diritti di segreteria`,
    );
    expect((await post(`/${region.ipa}/piano-inviato`, {})).status).toBe(303);
    page = await (await get(`/${region.ipa}?esito=completata`)).text();
    expect(page).toContain("Adesione completata: l&#x27;ente è in collaudo.");
    expect(page).toContain(`href="/backoffice/enti/${region.ipa}/collaudo"`);
    // Every step is in the request's history, by the helpdesk person.
    expect(page.match(new RegExp(`Passo dell&#x27;adesione completato · assistenza\\.${run}`, "g"))).toHaveLength(5);

    // A council's admin may not drive adhesions.
    const admin = await sessionFor(h, principal(`admin.${run}`, [], { [region.ipa]: ["tenant-admin"] }));
    const refused = await fetch(`${h.base}/backoffice/assistenza/adesioni/nuova`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie: admin.cookie, accept: "text/html" },
      body: new URLSearchParams({ _csrf: admin.csrf, ipaCode: wave[0]!.ipa }),
    });
    expect(refused.status).toBe(403);
  }, 120_000);

  it("bulk: 200 councils with 5 bad rows through the page → 195 requests, 5 reasons; the board pages and searches them", async () => {
    const rows = wave.map((w, i) => [
      w.ipa,
      `Referente ${i}`,
      `ref${i}.${run}@comuni.example`,
      "RSSMRA85T10A562S",
      String(i % 100).padStart(2, "0"),
      "IT60X0542811101000000123456",
    ]);
    rows[10]![0] = `c_ignoto${run}`;
    rows[20]![5] = "IT60X0542811101000000123457";
    rows[30]![3] = "RSSMRA85T10A562X";
    rows[40]![0] = wave[41]!.ipa;
    rows[50]![0] = region.ipa;
    const csv = [
      "codice_ipa;referente_nome;referente_email;referente_codice_fiscale;codice_segregazione;iban",
      ...rows.map((r) => r.join(";")),
    ].join("\n");
    const res = await upload("/massivo", "file", "ondata.csv", Buffer.from(csv));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("195 richieste aperte, 5 righe rifiutate, 195 inviti inviati.");
    for (const reason of [
      "<td>12</td>",
      "codice IPA sconosciuto: non è nell&#x27;elenco degli enti",
      "IBAN non valido (controlla le cifre di controllo)",
      "codice fiscale del referente non valido",
      "codice IPA duplicato nel file",
      `${esc(region.name)} aderisce già alla piattaforma`,
    ])
      expect(html).toContain(reason);
    const noFile = await upload("/massivo", "file", "vuoto.csv", Buffer.from("codice_ipa\n"));
    expect(noFile.status).toBe(422);
    expect(await noFile.text()).toContain("File CSV degli enti: Mancano le colonne");

    const q = encodeURIComponent(`Ondata ${run}`);
    const first = await (await get(`?q=${q}`)).text();
    expect(first).toContain("195 richieste trovate");
    expect(first).toContain("Pagina 1 di 8");
    expect(first.match(/href="\/backoffice\/assistenza\/adesioni\/c_on/g)).toHaveLength(25);
    const last = await (await get(`?q=${q}&page=8`)).text();
    expect(last.match(/href="\/backoffice\/assistenza\/adesioni\/c_on/g)).toHaveLength(20);
    expect(last).toContain('rel="prev"');
    const one = await (await get(`?q=${encodeURIComponent(`${run} N199`)}`)).text();
    expect(one).toContain("1 richieste trovate");
    expect(one).toContain(esc(wave[199]!.name));
    expect(await (await get(`?q=${q}&owner=region`)).text()).toContain("0 richieste trovate");
  }, 180_000);
});
