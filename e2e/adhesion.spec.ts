import { expect, test, type Browser, type Page } from "@playwright/test";
import { E2E } from "./ports.ts";
import { expectAccessible, screens } from "./support.ts";
import { p7mSignedBy } from "../server/test/p7m.ts";

/** Logs a member of staff in through the dev IdP in a fresh context. */
async function staffLogin(browser: Browser, username: string, start: string): Promise<Page> {
  const context = await browser.newContext({
    locale: "it-IT",
    timezoneId: "Europe/Rome",
    viewport: { width: 1280, height: 900 },
  });
  const page = await context.newPage();
  await page.goto(start);
  await page.getByLabel("Nome utente").fill(username);
  await page.getByLabel("Password").fill("demo");
  await page.getByRole("button", { name: "Accedi" }).click();
  await expect(page).toHaveURL(/\/backoffice\//);
  return page;
}

const PEC = "protocollo@pec.c-demo-a.example";
const TEST_STATION = "80015570270_02";
const LIVE_STATION = "80015570270_01";
const CONTACT = "chiara.adesione@c-demo-a.example";
/** Today in Rome's calendar (YYYY-MM-DD), the day a go-live "today" means. */
const romeToday = () => new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Rome" }).format(new Date());
const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

test("issue 17: a council asks to join from the public page, the helpdesk drives it to TEST, the collaudo passes, the platform admin switches it to LIVE, a citizen pays it", async ({
  browser,
  page,
}) => {
  test.setTimeout(330_000);
  // The helpdesk imports the Region's IPA extract.
  const helpdesk = await staffLogin(browser, "helpdesk", "/backoffice/assistenza/adesioni");
  await expect(helpdesk.getByRole("heading", { level: 1 })).toHaveText("Adesioni degli enti");
  await helpdesk.getByRole("link", { name: "Elenco IPA degli enti" }).click();
  await helpdesk.setInputFiles("#file", "tenants/demo/ipa-enti-demo.csv");
  await helpdesk.getByRole("button", { name: "Importa l'elenco" }).click();
  await expect(helpdesk.getByTestId("registry-outcome")).toContainText("5 enti importati, 0 righe scartate.");
  await screens(helpdesk, "adhesion-registry");

  // The council, anonymous: types its IPA code, sees the registry's data, asks to join.
  await page.goto("/adesione");
  await screens(page, "adhesion-public");
  await page.getByLabel("Codice IPA dell'ente").fill("c_demo_zzz");
  await page.getByRole("button", { name: "Cerca l'ente" }).click();
  await expect(page.getByRole("alert")).toContainText("non è nell'elenco degli enti della Regione");
  await screens(page, "adhesion-public-unknown");
  await page.getByLabel("Codice IPA dell'ente").fill("c_demo_a");
  await page.getByRole("button", { name: "Cerca l'ente" }).click();
  await expect(page.getByRole("heading", { name: "Comune di Borgo Adesione" })).toBeVisible();
  await expect(page.getByText(PEC)).toBeVisible();
  await screens(page, "adhesion-public-found");
  await page.getByRole("button", { name: "Invia la richiesta di adesione" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Richiesta di adesione registrata");
  await screens(page, "adhesion-public-sent");

  // The council's link arrives at its PEC (the mail catcher).
  let link = "";
  await expect
    .poll(
      async () => {
        const mails: Array<{ text: string }> = await (
          await fetch(`${E2E.mailUrl}/messages?to=${encodeURIComponent(PEC)}`)
        ).json();
        link = /http\S+\/adesione\/richiesta\/[\w-]{43}/.exec(mails[0]?.text ?? "")?.[0] ?? "";
        return link;
      },
      { timeout: 20_000 },
    )
    .not.toBe("");

  // Through the link: contact person (an error first), the letter, the information form.
  await page.goto(link);
  await expect(page.getByRole("heading", { name: "Indicare il referente" })).toBeVisible();
  await page.getByLabel("Nome e cognome del referente").fill("Chiara Adesione");
  await page.getByLabel("Codice fiscale del referente").fill("RSSMRA85T10A562X");
  await page.getByLabel("E-mail del referente").fill("chiara.adesione@c-demo-a.example");
  await page.getByRole("button", { name: "Salva il referente" }).click();
  await expect(page.locator("#contactFiscalCode-errore")).toHaveText("Codice fiscale del referente non valido");
  await screens(page, "adhesion-council-contact-error");
  await page.getByLabel("Codice fiscale del referente").fill("RSSMRA85T10A562S");
  await page.getByRole("button", { name: "Salva il referente" }).click();
  await expect(page.getByRole("heading", { name: "Lettera di adesione" })).toBeVisible();
  await screens(page, "adhesion-council-letter");
  const letter = await page.request.get(`${link}/lettera.pdf`);
  expect(letter.headers()["content-type"]).toBe("application/pdf");
  await page.setInputFiles("#letter", {
    name: "lettera-adesione.pdf.p7m",
    mimeType: "application/pkcs7-mime",
    buffer: p7mSignedBy("Giovanni Sindaco", await letter.body()),
  });
  await page.getByRole("button", { name: "Carica la lettera firmata" }).click();
  await expect(
    page.getByText("firmatario indicato nel certificato: Giovanni Sindaco (firma non verificata)"),
  ).toBeVisible();
  await page.getByLabel("Nome del servizio 1").fill("Diritti di segreteria");
  await page.getByLabel("Codice di tassonomia 1").fill("9/0101100IM/");
  await page.getByLabel("Modello di pagamento 1").selectOption("base");
  await page.getByLabel("Attivo dal").fill(inDays(30));
  await screens(page, "adhesion-council-information");
  await page.getByRole("button", { name: "Invia la scheda informativa" }).click();
  await expect(page.getByText("in corso: si attende che la Regione crei l'ente sulla stazione di test")).toBeVisible();
  await screens(page, "adhesion-council-waiting");

  // The helpdesk: the board shows who each request waits for; it creates the council in TEST.
  await helpdesk.goto("/backoffice/assistenza/adesioni?q=c_demo_a");
  await expect(helpdesk.getByRole("cell", { name: /Creazione dell'ente in collaudo/ })).toBeVisible();
  await screens(helpdesk, "adhesion-board");
  await helpdesk.getByRole("link", { name: "Comune di Borgo Adesione" }).click();
  await helpdesk.getByLabel("Stazione di collaudo").selectOption(TEST_STATION);
  await helpdesk.getByLabel("Codice di segregazione").fill("04");
  await screens(helpdesk, "adhesion-detail-tenant");
  await helpdesk.getByRole("button", { name: "Crea l'ente in collaudo e invita il referente" }).click();
  await expect(helpdesk.getByRole("status")).toHaveText("Ente creato in collaudo e referente invitato.");

  // The council gives its account through its link; the helpdesk confirms the plan sent.
  await page.goto(link);
  await page.getByLabel("IBAN").fill("IT60X0542811101000000123456");
  await page.getByLabel("Intestatario del conto").fill("Comune di Borgo Adesione");
  // The first account may start today: the council is in TEST (the collaudo needs one in force).
  await page.getByLabel("Decorrenza").fill(inDays(-1));
  await page.getByRole("button", { name: "Salva il conto" }).click();
  await expect(page.locator("#effectiveFrom-errore")).toContainText("la decorrenza non può essere nel passato");
  await page.getByLabel("Decorrenza").fill(inDays(0));
  await screens(page, "adhesion-council-account");
  await page.getByRole("button", { name: "Salva il conto" }).click();
  await expect(page.getByRole("link", { name: "Scarica il piano di attivazione (CSV)" })).toBeVisible();
  const plan = await page.request.get(`${link}/piano.csv`);
  expect((await plan.text()).split("\n")[1]).toContain(
    `c_demo_a;${TEST_STATION};04;Diritti di segreteria;9/0101100IM/;base`,
  );
  await expectAccessible(page);
  await helpdesk.reload();
  await helpdesk.getByRole("button", { name: "Piano inviato a pagoPA: completa l'adesione" }).click();
  await expect(helpdesk.getByRole("status")).toHaveText("Adesione completata: l'ente è in collaudo.");
  await screens(helpdesk, "adhesion-detail-done");

  // The platform admin gives the council a service (the collaudo pays notices of an active one),
  // runs the self-verifying collaudo and approves its report.
  const admin = await staffLogin(browser, "admin.regione", "/backoffice/enti/c_demo_a/tipi-pagamento/nuovo");
  await admin.getByLabel("Codice", { exact: true }).fill("SEGRETERIA");
  await admin.getByLabel("Nome del servizio").fill("Diritti di segreteria");
  await admin.getByLabel("Codice tassonomico pagoPA").fill("9/0101100IM/");
  await admin.getByLabel("IBAN beneficiario 1").fill("IT60X0542811101000000123456");
  // Offered on the portal with a one-field form: a citizen pays it once the council is live.
  await admin.locator("label[for=availableOnPortal]").click();
  await admin.locator("#campo0_nome").fill("pratica");
  await admin.locator("#campo0_etichetta").fill("Numero pratica");
  await admin.locator("#campo0_tipo").selectOption({ label: "Testo" });
  await admin.locator("label[for=campo0_obbligatorio]").click();
  await admin.locator("#causale").fill("Diritti di segreteria - pratica {{pratica}}");
  await admin.getByLabel("Tipo di regola").selectOption("fixed");
  await admin.getByLabel("Importo fisso (€)").fill("10,00");
  await admin.getByRole("button", { name: "Pubblica" }).click();
  await expect(admin.getByRole("status").filter({ hasText: "Tipo di pagamento pubblicato." })).toBeVisible();
  await admin.goto("/backoffice/assistenza/adesioni/c_demo_a");
  await admin.getByRole("link", { name: "test di collaudo" }).click();
  await admin.getByTestId("preproduction-start").click();
  const state = admin.getByTestId("preproduction-state").first();
  await expect(state).toHaveText(/^(Superato|Non superato)$/, { timeout: 90_000 });
  expect(await state.textContent(), await admin.getByTestId("preproduction-run").first().innerText()).toBe("Superato");
  await admin.getByRole("button", { name: /Approva/ }).click();
  await expect(admin.getByTestId("preproduction-approved")).toBeVisible();
  await screens(admin, "adhesion-collaudo");

  // Go-live: the check list shows the collaudo and the account done, and names what is missing.
  await admin.goto("/backoffice/assistenza/adesioni/c_demo_a");
  await admin.getByRole("link", { name: "passaggio in esercizio" }).click();
  const checks = admin.getByTestId("go-live-checks");
  await expect(checks.getByRole("listitem").filter({ hasText: "Collaudo automatico superato" })).toContainText("Fatto");
  await expect(checks.getByRole("listitem").filter({ hasText: "Conto di accredito in vigore" })).toContainText("Fatto");
  await expect(checks).toContainText("nessun amministratore o operatore dell'ente");
  await expect(checks).toContainText("mancano l'e-mail di contatto o il codice CBILL");
  await screens(admin, "adhesion-go-live-refused");

  // Staff: the contact person, invited when the council was created, sets a password through the
  // realm's e-mail and logs in; the login makes the membership the check list counts.
  let invitation = "";
  await expect
    .poll(
      async () => {
        const mails: Array<{ subject: string; text: string }> = await (
          await fetch(`${E2E.mailUrl}/messages?to=${encodeURIComponent(CONTACT)}`)
        ).json();
        const mail = mails.find((m) => m.subject === "Completa il tuo accesso a PontePA");
        invitation = /http\S+action-token\?key=\S+/.exec(mail?.text ?? "")?.[0] ?? "";
        return invitation;
      },
      { timeout: 20_000 },
    )
    .not.toBe("");
  const contactContext = await browser.newContext({ locale: "it-IT", timezoneId: "Europe/Rome" });
  const contact = await contactContext.newPage();
  await contact.goto(invitation);
  await contact.getByLabel(/^Nuova password/).fill("Password del referente");
  await contact.getByLabel("Ripeti la password").fill("Password del referente");
  await contact.getByRole("button", { name: "Imposta la password" }).click();
  await contact.getByRole("link", { name: "Vai all'area riservata" }).click();
  await contact.getByLabel("Nome utente").fill(CONTACT);
  await contact.getByLabel("Password").fill("Password del referente");
  await contact.getByRole("button", { name: "Accedi" }).click();
  await expect(contact).toHaveURL(/\/backoffice\//);
  await contactContext.close();

  // Registry data: the platform admin gives the council its CBILL code on its page.
  await admin.goto("/backoffice/piattaforma/enti/c_demo_a");
  await admin.getByLabel("Codice CBILL").fill("BA017");
  await admin.getByRole("button", { name: "Salva", exact: true }).click();
  await expect(admin.getByText("Dati dell'ente aggiornati.")).toBeVisible();

  // Production station: it must authenticate the Nodo; the admin sets the key the (simulated)
  // Nodo sends. Stations without a key ignore it, so the other specs' payments are unaffected.
  await admin.goto(`/backoffice/piattaforma/stazioni/${LIVE_STATION}`);
  await admin.getByLabel("Nuova chiave di sottoscrizione").fill(E2E.nodoSubscriptionKey);
  await admin.getByRole("button", { name: "Salva le protezioni" }).click();
  await expect(admin.getByText("Protezioni della stazione aggiornate")).toBeVisible();

  // Go-live today: every check is done, the council moves to the production station at once.
  await admin.goto("/backoffice/piattaforma/enti/c_demo_a/esercizio");
  await admin.getByLabel("Stazione di produzione").selectOption(LIVE_STATION);
  await admin.getByLabel("In esercizio dal").fill(romeToday());
  await screens(admin, "adhesion-go-live-ready");
  await admin.getByRole("button", { name: "Passa in esercizio" }).click();
  await expect(admin.getByText("L'ente è passato in esercizio sulla stazione di produzione.")).toBeVisible();
  // Once live the page no longer lists the go-live checks: it says which production station
  // serves the council, and since when.
  await expect(admin.getByTestId("go-live-live")).toContainText(`stazione di produzione ${LIVE_STATION}`);
  await expect(checks).toHaveCount(0);
  await expectAccessible(admin);
  await screens(admin, "adhesion-go-live-done");

  // A citizen pays the live council's service through Checkout: the simulated Nodo now calls the
  // production station, with its key, for this council.
  await page.goto("/enti/c_demo_a/servizi/SEGRETERIA");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Diritti di segreteria");
  await page.getByLabel("Numero pratica *").fill("AD/2026/17");
  await page.getByLabel("Codice fiscale del debitore *").fill("RSSMRA80A01H501U");
  await page.getByLabel("Nome e cognome o ragione sociale *").fill("Mario Rossi");
  await page.getByRole("button", { name: "Aggiungi al carrello" }).click();
  await expect(page).toHaveURL(/\/carrello$/);
  await expect(page.getByText("10,00 €").first()).toBeVisible();
  await page.getByRole("button", { name: "Paga con pagoPA" }).click();
  await expect(page).toHaveURL(new RegExp(`^${E2E.simulatorUrl}/checkout`));
  // The simulator's Checkout has no portal fonts: a plain screenshot and the axe check.
  await page.screenshot({ path: ".tmp/screens/adhesion-live-checkout-desktop.png", fullPage: true });
  await expectAccessible(page);
  await page.getByRole("button", { name: /Paga/ }).click();
  await expect(page).toHaveURL(/\/esito\/[\w-]+\?esito=ok/);
  await expect(page.getByText("Il pagamento è stato completato")).toBeVisible({ timeout: 20_000 });
  await page.getByRole("link", { name: "ricevuta" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Ricevuta di pagamento");
  await expect(page.getByText("Comune di Borgo Adesione").first()).toBeVisible();
  await expectAccessible(page);
  await screens(page, "adhesion-live-receipt");
  const violations = await (await fetch(`${E2E.simulatorUrl}/admin/violations`)).json();
  expect(violations).toEqual([]);
});
