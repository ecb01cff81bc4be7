import { randomInt } from "node:crypto";
import { p7mSignedBy } from "../../test/p7m.ts";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startMailCatcher, type MailCatcher } from "../../../infra/mail-catcher/catcher.ts";
import { RealmAdmin } from "../../identity/staff/index.ts";
import { createChromiumPool } from "../../platform/pdf/index.ts";
import { dateAsDay } from "../../platform/rome-day.ts";
import { fakeOrgFiscalCode, makeTenant } from "../../test/factories.ts";
import { testConfig } from "../../test/support.ts";
import { startBackoffice, type Harness } from "../../test/harness/backoffice/backoffice-harness.ts";
import { pdfText } from "../../test/harness/notices/pdf-inspect.ts";
import {
  activationPlanCsv,
  addAdhesionAccount,
  adhesionBoard,
  bulkOnboard,
  completeAdhesion,
  createAdhesionTenant,
  importPublicBodies,
  recordContact,
  recordInformation,
  renderAdhesionLetter,
  requestAdhesion,
  requestByCouncilLink,
  uploadSignedLetter,
} from "./index.ts";

const actor = { type: "staff" as const, id: "helpdesk.regione" };
const CONTACT = { contactName: "Maria Bianchi", contactFiscalCode: "RSSMRA85T10A562S" };
const run = randomInt(1e9).toString(36);
const ipa = (n: string) => `c_ad${run}${n}`;

describe("adhesion: a council joins, step by step, to TEST; bulk waves; the helpdesk board", () => {
  let h: Harness;
  let catcher: MailCatcher;
  let realm: RealmAdmin;
  const pdf = createChromiumPool(testConfig());
  const sent: { to: string; text: string }[] = [];
  const mailer = { send: async (m: { to: string; text: string }) => void sent.push(m) };
  let testStation: string;
  const bodies = ["happy", "taken", "dup"].map((n) => ({
    ipa: ipa(n),
    cf: fakeOrgFiscalCode(),
    name: `Comune di Adesione ${n} ${run}`,
  }));

  beforeAll(async () => {
    catcher = await startMailCatcher({ smtpPort: 0, httpPort: 0 });
    h = await startBackoffice({
      withIdp: true,
      idpSmtpUrl: `smtp://127.0.0.1:${catcher.smtpPort}`,
      env: { QUEUE_PREFIX: `${inject("queuePrefix")}-adhesion` },
    });
    realm = new RealmAdmin({ issuer: h.idp!.issuer, clientId: "pontepa-admin", clientSecret: "dev-admin-secret" });
    // The open data's layout: the PEC is the MailN whose Tipo_MailN is "Pec".
    const csv = [
      "Codice_IPA,Denominazione_ente,Codice_fiscale_ente,Mail1,Tipo_Mail1,Mail2,Tipo_Mail2",
      ...bodies.map((b) => `${b.ipa},"${b.name}",${b.cf},info@${b.ipa}.it,Altro,protocollo@pec.comune-${b.cf}.it,Pec`),
      "x,Senza codice valido,123,,,,",
    ].join("\n");
    const imported = await importPublicBodies(h.deps.db, Buffer.from(csv), actor);
    expect(imported).toEqual({ imported: 3, skipped: [{ row: 5, reason: "codice IPA non valido" }] });
    const other = await makeTenant(h.deps.db);
    const st = await h.deps.db.client.station.create({
      data: { intermediaryId: other.intermediaryId, code: `${run}_TEST`, environment: "TEST" },
    });
    testStation = st.code;
  }, 60_000);
  afterAll(async () => {
    await pdf.close();
    await h.stop();
    await catcher.close();
  });

  it("public request → contact → letter PDF → signed .p7m (signer shown) → information → tenant in TEST with the referente invited → account → plan CSV → DONE, every step audited", async () => {
    const b = bodies[0]!;
    const started = await requestAdhesion(h.deps.db, { ipaCode: b.ipa.toUpperCase() }, "COUNCIL", actor);
    expect(await requestByCouncilLink(h.deps.db, started.councilLink)).toBe(b.ipa);
    await expect(requestByCouncilLink(h.deps.db, "x".repeat(43))).rejects.toThrow(/Collegamento non valido/);

    await expect(renderAdhesionLetter({ db: h.deps.db, pdf }, b.ipa)).rejects.toThrow(/referente/);
    await expect(
      uploadSignedLetter(h.deps.db, b.ipa, { fileName: "l.pdf", file: Buffer.from("%PDF-1.7") }, actor),
    ).rejects.toThrow(/non è al passo «Lettera di adesione»: è al passo «Referente»/);
    await expect(
      recordContact(
        h.deps.db,
        b.ipa,
        { ...CONTACT, contactFiscalCode: "RSSMRA85T10A562X", contactEmail: "m@x.it" },
        actor,
      ),
    ).rejects.toMatchObject({
      fieldErrors: { contactFiscalCode: "codice fiscale del referente non valido" },
    });
    const email = `referente.${run}@comune.example`;
    expect((await recordContact(h.deps.db, b.ipa, { ...CONTACT, contactEmail: email }, actor)).step).toBe("LETTER");

    const letter = await renderAdhesionLetter({ db: h.deps.db, pdf }, b.ipa);
    const text = await pdfText(letter.pdf);
    expect(text).toContain(b.name);
    expect(text).toContain("Maria Bianchi");
    expect(text).toContain(`protocollo@pec.comune-${b.cf}.it`);

    await expect(
      uploadSignedLetter(h.deps.db, b.ipa, { fileName: "lettera.docx", file: letter.pdf }, actor),
    ).rejects.toMatchObject({
      fieldErrors: { letter: expect.stringMatching(/\.pdf \(PAdES\) o \.p7m/) },
    });
    await expect(
      uploadSignedLetter(h.deps.db, b.ipa, { fileName: "lettera.pdf", file: Buffer.from("not a pdf") }, actor),
    ).rejects.toMatchObject({
      fieldErrors: { letter: expect.stringMatching(/non corrisponde/) },
    });
    await expect(
      uploadSignedLetter(
        h.deps.db,
        b.ipa,
        { fileName: "lettera.pdf", file: Buffer.concat([Buffer.from("%PDF-"), Buffer.alloc(10 * 1024 * 1024)]) },
        actor,
      ),
    ).rejects.toMatchObject({ fieldErrors: { letter: "il file supera i 10 MB" } });
    const signed = await uploadSignedLetter(
      h.deps.db,
      b.ipa,
      { fileName: "lettera-adesione.pdf.p7m", file: p7mSignedBy("Giuseppe Sindaco Verdi", letter.pdf) },
      actor,
    );
    expect([signed.step, signed.letterSigner]).toEqual(["INFORMATION", "Giuseppe Sindaco Verdi"]);

    await expect(
      recordInformation(
        h.deps.db,
        b.ipa,
        { services: [{ name: "Mensa", taxonomyCode: "nope", model: "base" }], fromDate: "2027-01-01" },
        actor,
      ),
    ).rejects.toMatchObject({ fieldErrors: { "services.0.taxonomyCode": expect.stringMatching(/tassonomia/) } });
    const info = {
      services: [
        { name: "Refezione scolastica", taxonomyCode: "9/0201102IM/", model: "flows" },
        { name: "Diritti di segreteria", taxonomyCode: "9/0101100IM/", model: "base" },
      ],
      fromDate: "2027-01-01",
    };
    expect((await recordInformation(h.deps.db, b.ipa, info, actor)).step).toBe("TENANT");

    const back = { clientId: "pontepa-backoffice", redirectUri: `${h.base}/backoffice/` };
    const deps = { db: h.deps.db, realm, sessions: h.sessions, mailer, backofficeUrl: `${h.base}/backoffice/` };
    const prodStation = (await h.deps.db.client.station.findFirstOrThrow({ where: { environment: "PROD" } })).code;
    await expect(
      createAdhesionTenant(deps, b.ipa, { stationCode: prodStation, segregationCode: "47" }, actor, back),
    ).rejects.toMatchObject({
      fieldErrors: { stationCode: "un ente in adesione va creato su una stazione di test" },
    });
    const created = await createAdhesionTenant(
      deps,
      b.ipa,
      { stationCode: testStation, segregationCode: "47" },
      actor,
      back,
    );
    expect(created.step).toBe("ACCOUNTS");
    const tenant = await h.deps.db.client.tenant.findUniqueOrThrow({ where: { ipaCode: b.ipa } });
    expect([tenant.status, tenant.name, tenant.fiscalCode, tenant.contactEmail]).toEqual([
      "TEST",
      b.name,
      b.cf,
      `protocollo@pec.comune-${b.cf}.it`,
    ]);
    const user = await realm.findUserByEmail(email);
    expect(user).not.toBeNull();
    const groups = (await realm.userGroups(user!.id)).map((g) => g.path);
    expect(groups).toContain(`/tenants/${b.ipa}/admins`);

    const from = dateAsDay(new Date(Date.now() + 10 * 86_400_000));
    await expect(
      addAdhesionAccount(
        h.deps.db,
        b.ipa,
        { iban: "IT60X0542811101000000123457", holder: b.name, effectiveFrom: from },
        actor,
      ),
    ).rejects.toMatchObject({
      fieldErrors: { iban: expect.stringMatching(/IBAN non valido/) },
    });
    await addAdhesionAccount(
      h.deps.db,
      b.ipa,
      { iban: "IT60 X054 2811 1010 0000 0123 456", holder: b.name, effectiveFrom: from },
      actor,
    );

    const plan = await activationPlanCsv(h.deps.db, b.ipa);
    const lines = plan.csv.trim().split("\n");
    expect(lines[0]).toBe(
      "codice_fiscale_ente;denominazione_ente;codice_ipa;codice_stazione;codice_segregazione;servizio;codice_tassonomia;modello_pagamento;data_inizio;iban_accredito",
    );
    expect(lines.slice(1)).toEqual([
      `${b.cf};${b.name};${b.ipa};${testStation};47;Refezione scolastica;9/0201102IM/;flows;2027-01-01;IT60X0542811101000000123456`,
      `${b.cf};${b.name};${b.ipa};${testStation};47;Diritti di segreteria;9/0101100IM/;base;2027-01-01;IT60X0542811101000000123456`,
    ]);
    expect((await completeAdhesion(h.deps.db, b.ipa, actor)).step).toBe("DONE");
    await expect(completeAdhesion(h.deps.db, b.ipa, actor)).rejects.toThrow(/non è al passo/);

    const trail = await h.deps.db.withPlatformScope("test", (tx) =>
      tx.auditLog.findMany({
        where: { entityType: "AdhesionRequest", entityId: started.id },
        orderBy: [{ at: "asc" }, { id: "asc" }],
      }),
    );
    expect(trail.map((a) => [a.action, (a.after as { step: string }).step])).toEqual([
      ["adhesion.requested", "CONTACT"],
      ["adhesion.step", "LETTER"],
      ["adhesion.step", "INFORMATION"],
      ["adhesion.step", "TENANT"],
      ["adhesion.step", "ACCOUNTS"],
      ["adhesion.step", "PLAN"],
      ["adhesion.step", "DONE"],
    ]);
  }, 120_000);

  it("refuses an unknown IPA code, a council that already adheres and a second request, each with its reason", async () => {
    const db = h.deps.db;
    await expect(requestAdhesion(db, { ipaCode: `c_nope${run}` }, "REGION", actor)).rejects.toMatchObject({
      fieldErrors: { ipaCode: "codice IPA sconosciuto: non è nell'elenco degli enti" },
    });
    const taken = bodies[1]!;
    await makeTenant(db, { ipaCode: taken.ipa, name: "Comune Già Qui" });
    await expect(requestAdhesion(db, { ipaCode: taken.ipa }, "REGION", actor)).rejects.toMatchObject({
      fieldErrors: { ipaCode: "Comune Già Qui aderisce già alla piattaforma" },
    });
    await requestAdhesion(db, { ipaCode: bodies[2]!.ipa }, "REGION", actor);
    await expect(requestAdhesion(db, { ipaCode: bodies[2]!.ipa }, "COUNCIL", actor)).rejects.toMatchObject({
      fieldErrors: { ipaCode: "esiste già una richiesta di adesione per questo ente" },
    });
  });

  it("bulk: 200 councils with 5 bad rows → 195 requests and invitations, 5 rejects with reasons; the board pages and searches them", async () => {
    const db = h.deps.db;
    const wave = Array.from({ length: 200 }, (_, i) => ({
      ipa: `c_bk${run}_${i}`,
      cf: fakeOrgFiscalCode(),
      name: `Comune Ondata ${run} N${i}`,
    }));
    await importPublicBodies(
      db,
      Buffer.from(
        [
          "codice_ipa;denominazione;codice_fiscale;mail_pec",
          ...wave.map((w) => `${w.ipa};${w.name};${w.cf};pec@${w.ipa}.it`),
        ].join("\n"),
      ),
      actor,
    );
    const row = (w: (typeof wave)[number], i: number) => [
      w.ipa,
      `Referente ${i}`,
      `ref${i}.${run}@comuni.example`,
      "RSSMRA85T10A562S",
      String(i % 100).padStart(2, "0"),
      "IT60X0542811101000000123456",
    ];
    const rows = wave.map(row);
    rows[10]![0] = `c_ignoto${run}`; // unknown IPA
    rows[20]![5] = "IT60X0542811101000000123457"; // bad IBAN checksum
    rows[30]![3] = "RSSMRA85T10A562X"; // bad fiscal code
    rows[40]![0] = wave[41]!.ipa; // duplicate of the next row (that one is rejected: the first wins)
    rows[50]![0] = bodies[1]!.ipa; // already a council
    const csv = [
      "codice_ipa;referente_nome;referente_email;referente_codice_fiscale;codice_segregazione;iban",
      ...rows.map((r) => r.join(";")),
    ].join("\n");
    sent.length = 0;
    const out = await bulkOnboard({ db, mailer, publicBaseUrl: "https://pagamenti.example" }, Buffer.from(csv), actor);
    expect([out.accepted, out.rejected, out.invitationsSent]).toEqual([195, 5, 195]);
    expect(out.rows.filter((r) => !r.accepted).map((r) => [r.row, r.reason])).toEqual([
      [12, "codice IPA sconosciuto: non è nell'elenco degli enti"],
      [22, "IBAN non valido (controlla le cifre di controllo)"],
      [32, "codice fiscale del referente non valido"],
      [43, "codice IPA duplicato nel file"],
      [52, "Comune Già Qui aderisce già alla piattaforma"],
    ]);
    expect(sent[0]!.to).toBe(`ref0.${run}@comuni.example`);
    expect(sent[0]!.text).toMatch(/https:\/\/pagamenti\.example\/adesione\/richiesta\/[\w-]{43}/);
    const req = await db.withPlatformScope("test", (tx) =>
      tx.adhesionRequest.findUniqueOrThrow({ where: { ipaCode: wave[0]!.ipa } }),
    );
    expect([req.step, req.origin, req.iban, req.segregationCode, req.pecEmail]).toEqual([
      "LETTER",
      "BULK",
      "IT60X0542811101000000123456",
      "00",
      `pec@${wave[0]!.ipa}.it`,
    ]);

    const all = await adhesionBoard(db, { q: `Ondata ${run}` });
    expect([all.total, all.pages, all.rows.length]).toEqual([195, 8, 25]);
    expect(all.rows[0]).toMatchObject({
      stepLabel: "Lettera di adesione",
      ownerLabel: "Ente",
      waitingFor: expect.stringMatching(/lettera/),
    });
    const last = await adhesionBoard(db, { q: `Ondata ${run}`, page: 8 });
    expect(last.rows.length).toBe(20);
    const one = await adhesionBoard(db, { q: `${run} N199` });
    expect(one.rows.map((r) => r.ipaCode)).toEqual([wave[199]!.ipa]);
    expect((await adhesionBoard(db, { q: `Ondata ${run}`, owner: "region" })).total).toBe(0);
  }, 120_000);
});
