import { randomInt } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMailCatcher, type MailCatcher } from "../../infra/mail-catcher/catcher.ts";
import { fakeOrgFiscalCode } from "../../server/test/factories.ts";
import { startBackoffice, type Harness } from "../../server/test/harness/backoffice/backoffice-harness.ts";
import { importPublicBodies } from "../../server/tenancy/index.ts";
import { p7mSignedBy } from "../../server/test/p7m.ts";

const actor = { type: "staff" as const, id: "test" };
const run = randomInt(1e9).toString(36);
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/'/g, "&#x27;").replace(/"/g, "&quot;");

describe("the adhesion's public pages: request by IPA code, the council's link and its step forms", () => {
  let h: Harness;
  let catcher: MailCatcher;
  const ipa = `c_pub${run}`;
  const cf = fakeOrgFiscalCode();
  const name = `Comune di Porta Aperta ${run}`;
  let cookie = "";
  let csrf = "";

  const get = async (path: string) => {
    const res = await fetch(`${h.base}${path}`, { redirect: "manual", headers: { cookie, accept: "text/html" } });
    const set = res.headers.get("set-cookie");
    if (set?.startsWith("pp_csrf=")) {
      cookie = set.split(";")[0]!;
      csrf = decodeURIComponent(cookie.slice("pp_csrf=".length));
    }
    return res;
  };
  const post = (path: string, form: Record<string, string> | FormData) => {
    const body = form instanceof FormData ? form : new URLSearchParams({ _csrf: csrf, ...form });
    return fetch(`${h.base}${path}`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie, accept: "text/html" },
      body,
    });
  };

  beforeAll(async () => {
    catcher = await startMailCatcher({ smtpPort: 0, httpPort: 0 });
    h = await startBackoffice({ env: { SMTP_URL: `smtp://127.0.0.1:${catcher.smtpPort}` } });
    await importPublicBodies(
      h.deps.db,
      Buffer.from(
        `codice_ipa;denominazione;codice_fiscale;mail_pec\n${ipa};${name};${cf};protocollo@pec.comune-${run}.it\n`,
      ),
      actor,
    );
  }, 60_000);
  afterAll(async () => {
    await h.stop();
    await catcher.close();
  });

  it("a council looks up its IPA code, asks to join, gets its link at its PEC and does its steps through it", async () => {
    // An unknown code: the error next to the field, in Italian.
    const unknown = await get(`/adesione?ipa=c_nessuno${run}`);
    expect(unknown.status).toBe(422);
    const unknownHtml = await unknown.text();
    expect(unknownHtml).toContain('id="ipaCode-errore"');
    expect(unknownHtml).toContain("non è nell&#x27;elenco degli enti della Regione");

    // The registry fills name, fiscal code and PEC; the form posts only the code.
    const found = await (await get(`/adesione?ipa=${ipa.toUpperCase()}`)).text();
    expect(found).toContain(esc(name));
    expect(found).toContain(cf);
    expect(found).toContain(`protocollo@pec.comune-${run}.it`);
    expect((await post("/adesione", { ipaCode: ipa, _csrf: "forged" })).status).toBe(403);
    const sent = await post("/adesione", { ipaCode: ipa });
    expect(sent.status).toBe(303);
    const confirmation = await (await get(sent.headers.get("location")!)).text();
    expect(confirmation).toContain("Richiesta di adesione registrata");
    expect(confirmation).toContain(`protocollo@pec.comune-${run}.it`);
    const again = await post("/adesione", { ipaCode: ipa });
    expect(again.status).toBe(422);
    expect(await again.text()).toContain("esiste già una richiesta di adesione per questo ente");

    await expect
      .poll(() => catcher.messages.filter((m) => m.to.includes(`protocollo@pec.comune-${run}.it`)).length)
      .toBe(1);
    const mail = catcher.messages.find((m) => m.to.includes(`protocollo@pec.comune-${run}.it`))!;
    const link = new URL(/https?:\/\/\S+\/adesione\/richiesta\/[\w-]{43}/.exec(mail.text)![0]);
    expect(link.origin).toBe(h.base);
    const base = link.pathname;

    // The contact person: Italian errors next to the fields, then saved.
    let page = await (await get(base)).text();
    expect(page).toContain("Indicare il referente");
    const bad = await post(`${base}/referente`, {
      contactName: "Maria Bianchi",
      contactFiscalCode: "RSSMRA85T10A562X",
      contactEmail: "non-una-email",
    });
    expect(bad.status).toBe(422);
    const badHtml = await bad.text();
    expect(badHtml).toContain(
      '<div class="invalid-feedback d-block" id="contactFiscalCode-errore">Codice fiscale del referente non valido</div>',
    );
    expect(badHtml).toContain('id="contactEmail-errore"');
    expect(badHtml).toContain('value="Maria Bianchi"');
    const ok = await post(`${base}/referente`, {
      contactName: "Maria Bianchi",
      contactFiscalCode: "RSSMRA85T10A562S",
      contactEmail: `maria.${run}@comune.example`,
    });
    expect(ok.status).toBe(303);

    // The letter: downloaded as a PDF, uploaded back signed; a wrong file is refused by name.
    page = await (await get(base)).text();
    expect(page).toContain("Scarica la lettera di adesione (PDF)");
    const letter = await get(`${base}/lettera.pdf`);
    expect(letter.headers.get("content-type")).toBe("application/pdf");
    const pdf = Buffer.from(await letter.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const upload = (fileName: string, file: Buffer) => {
      const form = new FormData();
      form.append("_csrf", csrf);
      form.append("letter", new Blob([new Uint8Array(file)]), fileName);
      return post(`${base}/lettera`, form);
    };
    const wrong = await upload("lettera.docx", pdf);
    expect(wrong.status).toBe(422);
    expect(await wrong.text()).toContain(
      "Lettera firmata: carica la lettera firmata in formato .pdf (PAdES) o .p7m (CAdES)",
    );
    const noCsrf = new FormData();
    noCsrf.append("letter", new Blob([new Uint8Array(pdf)]), "lettera.pdf");
    expect((await post(`${base}/lettera`, noCsrf)).status).toBe(403);
    expect((await upload("lettera.pdf.p7m", p7mSignedBy("Giuseppe Verdi", pdf))).status).toBe(303);
    page = await (await get(base)).text();
    expect(page).toContain("firmatario indicato nel certificato: Giuseppe Verdi (firma non verificata)");

    // The information form: a bad taxonomy code is shown next to its row's field.
    const info = {
      servizio0_nome: "Refezione scolastica",
      servizio0_tassonomia: "nope",
      servizio0_modello: "flows",
      servizio1_nome: "Diritti di segreteria",
      servizio1_tassonomia: "9/0101100IM/",
      servizio1_modello: "base",
      fromDate: "2027-01-01",
    };
    const badInfo = await post(`${base}/scheda`, info);
    expect(badInfo.status).toBe(422);
    const badInfoHtml = await badInfo.text();
    expect(badInfoHtml).toContain('id="servizio0_tassonomia-errore"');
    expect(badInfoHtml).toContain("Servizio 1: codice di tassonomia: codice di tassonomia pagoPA non valido");
    expect(badInfoHtml).toContain('href="#servizio0_tassonomia"');
    expect((await post(`${base}/scheda`, { ...info, servizio0_tassonomia: "9/0201102IM/" })).status).toBe(303);
    page = await (await get(base)).text();
    expect(page).toContain("in corso: si attende che la Regione crei l&#x27;ente sulla stazione di test");
    // A step out of turn is refused as a form message, not done.
    const late = await post(`${base}/referente`, {
      contactName: "Altro Nome",
      contactFiscalCode: "RSSMRA85T10A562S",
      contactEmail: "x@comune.example",
    });
    expect(late.status).toBe(422);
    expect(await late.text()).toContain("non è al passo «Referente»");

    // A made-up link shows nothing.
    expect((await get(`/adesione/richiesta/${"A".repeat(43)}`)).status).toBe(404);
  }, 60_000);
});
