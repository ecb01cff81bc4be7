import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { makeTenant } from "../../server/test/factories.ts";
import { createPosition } from "../../server/positions/create-position.ts";
import { listPortalCatalog } from "../../server/catalog/index.ts";
import type { Tenant } from "../../server/generated/prisma/client.ts";
import {
  councilWithAccount,
  OWN_IBAN as OWN,
  principal,
  sessionFor,
  startBackoffice,
  type Harness,
} from "../../server/test/harness/backoffice/backoffice-harness.ts";

/** Tenant admin configuration, the helpdesk's audited search and the platform admin, end to end over HTTP. */
describe("back-office: configuration, helpdesk, platform", () => {
  let h: Harness;
  let t: Tenant;
  let admin: { cookie: string; csrf: string };
  let helpdesk: { cookie: string; csrf: string };
  let platform: { cookie: string; csrf: string };

  beforeAll(async () => {
    h = await startBackoffice();
    t = await councilWithAccount(h, "Comune di Configurazione");
    admin = await sessionFor(h, principal("admin.config", [], { [t.ipaCode]: ["tenant-admin"] }));
    helpdesk = await sessionFor(h, principal("helpdesk.test", ["regional-helpdesk"], {}));
    platform = await sessionFor(h, principal("admin.regione.test", ["platform-admin"], {}));
  }, 60_000);
  afterAll(async () => {
    await h.stop();
  });

  /** A one-option position of the council due to its own account, for the helpdesk to find. */
  const singlePosition = (debtorName: string, subject: string, amountCents: number) =>
    createPosition(
      h.deps.db,
      t,
      {
        debtor: { fiscalCode: "RSSMRA80A01H501U", name: debtorName },
        subject,
        single: {
          amountCents,
          dueDate: new Date("2027-03-31T10:00:00Z"),
          transfers: [{ iban: OWN, amountCents, taxonomyCode: "9/0101002IM/", remittanceText: subject }],
        },
      },
      { type: "system", id: "test" },
    );
  const url = (path: string) => `${h.base}/backoffice${path}`;
  const post = (who: { cookie: string; csrf: string }, path: string, fields: Record<string, string>) =>
    fetch(url(path), {
      method: "POST",
      redirect: "manual",
      headers: { cookie: who.cookie, "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
      body: new URLSearchParams({ _csrf: who.csrf, ...fields }).toString(),
    });
  const get = (who: { cookie: string }, path: string) =>
    fetch(url(path), { redirect: "manual", headers: { cookie: who.cookie, accept: "text/html" } });

  const permit = {
    code: "PASSO_CARRABILE",
    name: "Passo carrabile",
    taxonomyCode: "9/0103100TS/",
    availableOnPortal: "on",
    availableAtCounter: "on",
    conto0_iban: OWN,
    conto0_quota: "100",
    campo0_ordine: "2",
    campo0_nome: "targa",
    campo0_etichetta: "Targa del veicolo",
    campo0_tipo: "plate",
    campo0_obbligatorio: "on",
    campo1_ordine: "1",
    campo1_nome: "via",
    campo1_etichetta: "Via del passo",
    campo1_tipo: "text",
    campo1_obbligatorio: "on",
    campo1_aiuto: "Come sul cartello",
    campo2_ordine: "3",
    campo2_nome: "dal",
    campo2_etichetta: "Dal giorno",
    campo2_tipo: "date",
    campo3_ordine: "4",
    campo3_nome: "misura",
    campo3_etichetta: "Larghezza",
    campo3_tipo: "select",
    campo3_valori: "piccolo|Fino a 3 metri\ngrande|Oltre 3 metri",
    campo3_obbligatorio: "on",
    causale: "Passo carrabile {{via}} {{targa}}",
    regola: "choice",
    regola_campo: "misura",
    regola_voci: "piccolo|Fino a 3 metri|25,00\ngrande|Oltre 3 metri|40,00",
  };

  test("the preview renders the citizen's form from what is typed, in the chosen order", async () => {
    const res = await post(admin, `/enti/${t.ipaCode}/tipi-pagamento/anteprima`, permit);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toContain("<html");
    const labels = [...html.matchAll(/<label for="(\w+)"/g)].map((m) => m[1]);
    expect(labels).toEqual(["via", "targa", "dal", "misura"]);
    expect(html).toContain("Oltre 3 metri: 40,00 €");
    expect(html).toContain("Come sul cartello");
  });

  test("a tenant admin saves a payment type with a four-field form; it reaches the portal's catalog and the audit log", async () => {
    const res = await post(admin, `/enti/${t.ipaCode}/tipi-pagamento`, { ...permit, nuovo: "1", azione: "salva" });
    expect(res.status).toBe(303);
    const saved = await h.deps.db.withTenant(t.id, (tx) =>
      tx.paymentType.findFirstOrThrow({ where: { tenantId: t.id, code: "PASSO_CARRABILE" } }),
    );
    expect((saved.formDefinition as { fields: Array<{ name: string }> }).fields.map((f) => f.name)).toEqual([
      "via",
      "targa",
      "dal",
      "misura",
    ]);
    expect(saved.amountRule).toEqual({
      kind: "choice",
      field: "misura",
      choices: [
        { value: "piccolo", label: "Fino a 3 metri", amountCents: 2_500 },
        { value: "grande", label: "Oltre 3 metri", amountCents: 4_000 },
      ],
    });
    const edit = await (await get(admin, `/enti/${t.ipaCode}/tipi-pagamento/PASSO_CARRABILE`)).text();
    expect(edit).toContain('value="Passo carrabile {{via}} {{targa}}"');
    expect(edit).toContain("grande &#x3D; Oltre 3 metri &#x3D; 40,00"); // Handlebars escapes "="
    // The deciding field is picked from the form's fields (by label), not typed.
    expect(edit).toMatch(/<select[^>]*id="regola_campo"/);
    expect(edit).toContain('<option value="misura" selected>Larghezza (misura)</option>');
    expect(edit).toContain('<option value="via">Via del passo (via)</option>');
    // One labelled fieldset per rule, all in the page (the script hides the others; without it all show).
    for (const rule of ["fixed", "choice range", "choice", "range", "plugin"])
      expect(edit).toMatch(new RegExp(`<fieldset class="rule-fields mb-2" data-rule="${rule}"><legend`));
    expect(edit).not.toMatch(/data-rule="[^"]*"[^>]*hidden/);
    // Choice values are shown once, in the rule, not again in the field's list.
    expect(edit).toMatch(/<textarea[^>]*id="campo3_valori"[^>]*><\/textarea>/);
    // Saved, not published: a draft is on neither the portal nor the counter.
    expect(saved.status).toBe("DRAFT");
    expect((await listPortalCatalog(h.deps.db, t.id)).map((c) => c.code)).not.toContain("PASSO_CARRABILE");
    const published = await post(admin, `/enti/${t.ipaCode}/tipi-pagamento`, {
      ...permit,
      nuovo: "0",
      azione: "pubblica",
    });
    expect(published.status).toBe(303);
    expect((await listPortalCatalog(h.deps.db, t.id)).map((c) => c.code)).toContain("PASSO_CARRABILE");
    // Saving a published type again keeps it published.
    await post(admin, `/enti/${t.ipaCode}/tipi-pagamento`, { ...permit, nuovo: "0", azione: "salva" });
    expect((await listPortalCatalog(h.deps.db, t.id)).map((c) => c.code)).toContain("PASSO_CARRABILE");
    const audit = await (await get(admin, `/enti/${t.ipaCode}/registro?entity=PaymentType`)).text();
    expect(audit).toContain("admin.config");
    expect(audit).toContain("PASSO_CARRABILE");
    // Before/after as a readable Italian table, not raw JSON with English keys.
    expect(audit).toContain('data-testid="audit-changes"');
    expect(audit).toContain('<th scope="row">Codice tassonomico</th>');
    expect(audit).toContain('<th scope="row">Disponibile sul portale</th><td>—</td><td>sì</td>');
    expect(audit).not.toMatch(/\{&quot;|&quot;taxonomyCode&quot;|"taxonomyCode"/);
  });

  test("a wrong taxonomy code, shares not adding up and a subject naming a missing field are explained", async () => {
    const res = await post(admin, `/enti/${t.ipaCode}/tipi-pagamento`, {
      ...permit,
      code: "ALTRO",
      nuovo: "1",
      taxonomyCode: "9/9999999XX/",
      conto0_quota: "90",
      causale: "Passo {{numero}}",
    });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain("le quote dei beneficiari devono sommare al 100%");
    expect(html).toContain("la causale usa il campo numero che il modulo non ha");
    const tax = await post(admin, `/enti/${t.ipaCode}/tipi-pagamento`, {
      ...permit,
      code: "ALTRO",
      nuovo: "1",
      taxonomyCode: "9/9999999XX/",
    });
    expect(tax.status).toBe(422);
    expect(await tax.text()).toMatch(/Codice tassonomico pagoPA: /);
  });

  test("'add a field' works without JavaScript and keeps the typed values", async () => {
    const res = await post(admin, `/enti/${t.ipaCode}/tipi-pagamento`, {
      ...permit,
      nuovo: "1",
      azione: "aggiungi-campo",
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('name="campo4_nome"');
    expect(html).toContain('value="Targa del veicolo"');
  });

  test("a creditor account must be announced seven days ahead", async () => {
    const tooSoon = await post(admin, `/enti/${t.ipaCode}/conti`, {
      iban: "IT 91 Z 05034 11701 000000004321",
      holder: "Nuova tesoreria",
      effectiveFrom: new Date().toISOString().slice(0, 10),
    });
    expect(tooSoon.status).toBe(422);
    expect(await tooSoon.text()).toContain("almeno 7 giorni dopo oggi");
    const later = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    const ok = await post(admin, `/enti/${t.ipaCode}/conti`, {
      iban: "IT91Z0503411701000000004321",
      holder: "Nuova tesoreria",
      effectiveFrom: later,
    });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("IT91Z0503411701000000004321");
  });

  test("the helpdesk finds a payment by NAV across councils, and the read is audited in that council", async () => {
    const created = await singlePosition("Mario Rossi", "Da trovare", 1_234);
    const nav = created.options[0]!.nav;
    // A GET (a link or an image on a foreign page) searches nothing and writes no audit entry.
    expect((await get(helpdesk, `/assistenza?per=nav&valore=${nav}`)).status).toBe(200);
    expect(
      await h.deps.db.withTenant(t.id, (tx) =>
        tx.auditLog.count({ where: { tenantId: t.id, action: "helpdesk.read", entityId: created.id } }),
      ),
    ).toBe(0);
    // The search is a POST with the session's token; the code is typed as printed, with spaces, and recognised.
    const printed = nav.replace(/^(\d{4})(\d{4})(\d{4})(\d{4})(\d{2})$/, "$1 $2 $3 $4 $5");
    const res = await post(helpdesk, "/assistenza", { per: "auto", valore: printed });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Comune di Configurazione · Da trovare");
    expect(html).toContain("12,34 €");
    const audit = await h.deps.db.withTenant(t.id, (tx) =>
      tx.auditLog.findFirst({ where: { tenantId: t.id, action: "helpdesk.read", entityId: created.id } }),
    );
    expect(audit?.actorId).toBe("helpdesk.test");
    expect(html).toContain("per Codice avviso");
    const short = await post(helpdesk, "/assistenza", { per: "nav", valore: "12" });
    expect(short.status).toBe(422);
    expect(await short.text()).toContain("Valore: il codice avviso ha 18 cifre");
    const unknown = await post(helpdesk, "/assistenza", { per: "auto", valore: "301000000000999999" });
    expect(await unknown.text()).toContain("Nessun risultato per Codice avviso «301000000000999999»");
    // Without the session's token, no search.
    expect(
      (
        await fetch(url("/assistenza"), {
          method: "POST",
          redirect: "manual",
          headers: {
            cookie: helpdesk.cookie,
            "content-type": "application/x-www-form-urlencoded",
            accept: "text/html",
          },
          body: new URLSearchParams({ valore: printed }),
        })
      ).status,
    ).toBe(403);
    // The helpdesk reads councils but does not change them.
    expect((await post(helpdesk, `/enti/${t.ipaCode}/posizioni`, {})).status).toBe(403);
    expect((await get(helpdesk, "/assistenza/enti")).status).toBe(200);
  });

  test("the helpdesk opens a Nodo message (XML, fault), links the position and receipt PDF, and shows the payment", async () => {
    const created = await singlePosition("Luigi Verdi", "Da aprire", 4_321);
    const option = created.options[0]!;
    const receiptId = `rcpt-apri-${t.ipaCode}`;
    const response =
      "<paGetPaymentRes><outcome>KO</outcome><fault><faultCode>PAA_PAGAMENTO_DUPLICATO</faultCode>" +
      "<faultString>Pagamento in attesa risulta concluso all'Ente Creditore</faultString>" +
      "<description>Avviso gi&#224; pagato &amp; chiuso</description></fault></paGetPaymentRes>";
    const message = await h.deps.db.withTenant(t.id, async (tx) => {
      await tx.receipt.create({
        data: {
          tenantId: t.id,
          optionId: option.id,
          receiptId,
          nav: option.nav,
          iuv: option.iuv,
          outcome: "OK",
          amountCents: 4_321,
          pspId: "PSP_TEST",
          pspName: "Banca di Prova",
          accessToken: `tok-${receiptId}`,
        },
      });
      return tx.nodoMessage.create({
        data: {
          tenantId: t.id,
          direction: "IN",
          operation: "paGetPayment",
          nav: option.nav,
          outcome: "KO",
          faultCode: "PAA_PAGAMENTO_DUPLICATO",
          durationMs: 12,
          requestXml: `<paGetPaymentReq><qrCode><noticeNumber>${option.nav}</noticeNumber></qrCode></paGetPaymentReq>`,
          responseXml: response,
        },
      });
    });
    const res = await post(helpdesk, "/assistenza", { per: "nav", valore: option.nav });
    const html = await res.text();
    expect(html).toContain(`href="/backoffice/enti/${t.ipaCode}/posizioni/${created.id}"`);
    expect(html).toContain(`href="/backoffice/enti/${t.ipaCode}/ricevute/${receiptId}/ricevuta.pdf"`);
    expect(html).toContain(`href="/backoffice/assistenza/messaggi/${message.id}"`);
    // The payment is in the timeline, with its PSP and amount.
    expect(html).toMatch(
      /data-testid="timeline-payment">Pagamento ricevuto \(esito OK\) · 43,21 € · PSP Banca di Prova/,
    );

    const opened = await get(helpdesk, `/assistenza/messaggi/${message.id}`);
    expect(opened.status).toBe(200);
    const page = await opened.text();
    expect(page).toContain("PAA_PAGAMENTO_DUPLICATO");
    expect(page).toContain(
      "Pagamento in attesa risulta concluso all&#x27;Ente Creditore · Avviso già pagato &amp; chiuso",
    );
    // The raw XML, escaped, as it was exchanged.
    expect(page).toContain(`&lt;noticeNumber&gt;${option.nav}&lt;/noticeNumber&gt;`);
    expect(page).toContain("&lt;faultCode&gt;PAA_PAGAMENTO_DUPLICATO&lt;/faultCode&gt;");
    const audited = await h.deps.db.withTenant(t.id, (tx) =>
      tx.auditLog.count({ where: { tenantId: t.id, action: "helpdesk.read", entityId: message.id } }),
    );
    expect(audited).toBe(1);
    // Staff only: a council's operator does not open the helpdesk's message view.
    const operator = await sessionFor(h, principal("op.apri", [], { [t.ipaCode]: ["operator"] }));
    expect((await get(operator, `/assistenza/messaggi/${message.id}`)).status).toBe(403);
    expect((await get(helpdesk, "/assistenza/messaggi/non-un-id")).status).toBe(404);
  });

  test("the platform admin changes a council's registry data; a segregation code in use is refused", async () => {
    const other = await makeTenant(h.deps.db, {
      name: "Comune Vicino",
      intermediaryId: t.intermediaryId,
      stationId: t.stationId,
      segregationCode: t.segregationCode === "47" ? "48" : "47",
    } as never);
    const clash = await post(platform, `/piattaforma/enti/${t.ipaCode}`, {
      name: t.name,
      status: "LIVE",
      segregationCode: other.segregationCode,
      cbill: "ZZ9Z9",
    });
    expect(clash.status).toBe(422);
    expect(await clash.text()).toContain("Codice di segregazione già usato da Comune Vicino");
    const ok = await post(platform, `/piattaforma/enti/${t.ipaCode}`, {
      name: t.name,
      status: "SUSPENDED",
      segregationCode: t.segregationCode,
      cbill: "ZZ9Z9",
      contactEmail: "ragioneria@comune.example",
    });
    expect(ok.status).toBe(200);
    const after = await h.deps.db.client.tenant.findUniqueOrThrow({ where: { id: t.id } });
    expect(after).toMatchObject({ status: "SUSPENDED", cbill: "ZZ9Z9", contactEmail: "ragioneria@comune.example" });
    const audit = await h.deps.db.withTenant(t.id, (tx) =>
      tx.auditLog.findFirstOrThrow({ where: { action: "tenant.update" } }),
    );
    expect(audit.before).toMatchObject({ status: "LIVE", cbill: "A1B2C" });
    expect(audit.after).toMatchObject({ status: "SUSPENDED", cbill: "ZZ9Z9" });
    expect((await get(admin, "/piattaforma")).status).toBe(403);
    expect((await get(platform, "/piattaforma")).status).toBe(200);
  });

  test("the platform admin onboards a council (ONBOARDING, unique codes) and sets a station's protections", async () => {
    const station = await h.deps.db.client.station.findUniqueOrThrow({ where: { id: t.stationId } });
    const fiscalCode = (await import("../../server/test/factories.ts")).fakeOrgFiscalCode();
    const ipaCode = `c_n${Date.now().toString(36)}`;
    const used = await h.deps.db.client.tenant.findMany({
      where: { intermediaryId: t.intermediaryId },
      select: { segregationCode: true },
    });
    const free = Array.from({ length: 99 }, (_, i) => String(i + 1).padStart(2, "0")).find(
      (c) => !used.some((u) => u.segregationCode === c),
    )!;
    const dup = await post(platform, "/piattaforma/enti", {
      name: "Comune Nuovo",
      fiscalCode: t.fiscalCode,
      ipaCode: t.ipaCode,
      stationCode: station.code,
      segregationCode: t.segregationCode,
    });
    expect(dup.status).toBe(422);
    const dupHtml = await dup.text();
    expect(dupHtml).toContain("Codice fiscale già registrato per Comune di Configurazione");
    expect(dupHtml).toContain("Codice IPA già registrato");
    expect(dupHtml).toContain("Codice di segregazione già usato");
    const ok = await post(platform, "/piattaforma/enti", {
      name: "Comune Nuovo",
      fiscalCode,
      ipaCode,
      stationCode: station.code,
      segregationCode: free,
      cbill: "NUOVO",
    });
    expect(ok.status).toBe(303);
    // This harness has no realm: the council is created, its groups are left for later.
    expect(ok.headers.get("location")).toBe(`/backoffice/piattaforma/enti/${ipaCode}?creato=1&gruppi=0`);
    const created = await h.deps.db.client.tenant.findUniqueOrThrow({ where: { ipaCode } });
    expect(created).toMatchObject({
      status: "ONBOARDING",
      fiscalCode,
      segregationCode: free,
      cbill: "NUOVO",
      stationId: station.id,
    });

    const bad = await post(platform, `/piattaforma/stazioni/${station.code}`, {
      enabled: "on",
      clientCertFingerprint: "12:34",
      allowedSources: "10.0.0.0/8\nnot-an-ip",
    });
    expect(bad.status).toBe(422);
    const badHtml = await bad.text();
    expect(badHtml).toContain("64 cifre esadecimali");
    expect(badHtml).toContain("indirizzo IP o rete (CIDR) non valido");
    const fingerprint = "ab".repeat(32);
    const saved = await post(platform, `/piattaforma/stazioni/${station.code}`, {
      enabled: "on",
      clientCertFingerprint: fingerprint,
      newSubscriptionKey: "segreto-nodo",
      allowedSources: "10.0.0.0/8\n192.168.1.7",
    });
    expect(saved.status).toBe(200);
    const after = await h.deps.db.client.station.findUniqueOrThrow({ where: { id: station.id } });
    expect(after.clientCertFingerprint).toBe(fingerprint.toUpperCase());
    expect(after.subscriptionKeyHash).toBe(
      (await import("node:crypto")).createHash("sha256").update("segreto-nodo").digest("hex"),
    );
    expect(after.allowedSources).toEqual(["10.0.0.0/8", "192.168.1.7"]);
    const audit = await h.deps.db.withPlatformScope("test", (tx) =>
      tx.auditLog.findFirstOrThrow({ where: { action: "station.update", entityId: station.id } }),
    );
    expect(JSON.stringify(audit.after)).not.toContain("segreto-nodo");
    expect((await post(admin, `/piattaforma/stazioni/${station.code}`, { enabled: "on" })).status).toBe(403);
  });

  test("the council's summary shows the activation plan computed from its configuration", async () => {
    const fresh = await makeTenant(h.deps.db, {
      name: "Comune in Attivazione",
      status: "ONBOARDING",
      cbill: null,
    } as never);
    const newAdmin = await sessionFor(h, principal("admin.nuovo", [], { [fresh.ipaCode]: ["tenant-admin"] }));
    const plan = async () =>
      [
        ...(await (await get(newAdmin, `/enti/${fresh.ipaCode}`)).text()).matchAll(
          /<strong>([^<]+)<\/strong>: <span class="text-(success|danger)">/g,
        ),
      ].map((m) => `${m[1]}:${m[2]}`);
    expect(await plan()).toEqual([
      "Dati dell&#x27;ente:danger",
      "Conto di accredito in vigore:danger",
      "Tipi di pagamento:danger",
      "Personale:danger",
      "Collaudo con pagoPA:danger",
      "Primo pagamento ricevuto:danger",
      "In esercizio:danger",
    ]);
    await h.deps.db.withTenant(fresh.id, (tx) =>
      tx.creditorAccount.create({
        data: { tenantId: fresh.id, iban: OWN, holder: "Tesoreria", effectiveFrom: new Date("2025-01-01") },
      }),
    );
    await h.deps.db.client.tenant.update({
      where: { id: fresh.id },
      data: { status: "TEST", cbill: "NEW01", contactEmail: "a@b.example" },
    });
    expect(await plan()).toEqual([
      "Dati dell&#x27;ente:success",
      "Conto di accredito in vigore:success",
      "Tipi di pagamento:danger",
      "Personale:danger",
      "Collaudo con pagoPA:success",
      "Primo pagamento ricevuto:danger",
      "In esercizio:danger",
    ]);
  });
});
