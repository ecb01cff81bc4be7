import { existsSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { expectAccessible, screens } from "./support.ts";
import { E2E } from "./ports.ts";
import { printedNav, seededNav } from "./seeded.ts";

const simulator = existsSync("infra/nodo-simulator/main.ts");

/** Fills the Borgo Fiorito "Diritti di segreteria" form, first wrong then right, into the cart. */
async function fillServiceForm(page: Page): Promise<void> {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Pagamenti degli enti");
  await screens(page, "directory");

  await page.getByLabel("Cerca un ente per nome o codice fiscale").fill("borgo");
  await page.getByRole("button", { name: "Cerca" }).click();
  await page.getByRole("link", { name: "Comune di Borgo Fiorito" }).click();
  await screens(page, "council");

  await page.getByRole("link", { name: "Diritti di segreteria" }).click();
  await screens(page, "service-form");

  // Server-side validation with the admin's rules: a bad practice number and fiscal code.
  await page.getByLabel("Numero pratica *").fill("x");
  await page.getByLabel("Documento richiesto *").selectOption("CIE");
  await page.getByLabel("Codice fiscale del debitore *").fill("RSSMRA80A01H501X");
  await page.getByLabel("Nome e cognome o ragione sociale *").fill("Mario Rossi");
  await page.getByRole("button", { name: "Aggiungi al carrello" }).click();
  await expect(page.getByRole("alert")).toContainText("Il modulo contiene errori");
  await expect(page.getByText("il formato non è quello richiesto", { exact: true })).toBeVisible();
  await expect(page.getByText("codice fiscale non valido", { exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: "Numero pratica: il formato non è quello richiesto" })).toHaveAttribute(
    "href",
    "#pratica",
  );
  await screens(page, "service-form-errors");

  await page.getByLabel("Numero pratica *").fill("AB/2026/17");
  await page.getByLabel("Codice fiscale del debitore *").fill("RSSMRA80A01H501U");
  await page.getByRole("button", { name: "Aggiungi al carrello" }).click();

  await expect(page).toHaveURL(/\/carrello$/);
  await expect(page.getByRole("cell", { name: "Diritti di segreteria - pratica AB/2026/17" })).toBeVisible();
  await expect(page.getByText("22,22 €").first()).toBeVisible();
  await screens(page, "cart");
}

test("an anonymous citizen fills a council's form, validated on the server, into the cart", async ({ page }) => {
  await fillServiceForm(page);
  await expect(page.locator(".pontepa-cart-count")).toHaveText("1");
  await page.getByRole("button", { name: /^Rimuovi/ }).click();
  await expect(page.getByText("Il carrello è vuoto.")).toBeVisible();
  await expect(page.locator(".pontepa-cart-count")).toHaveText("0");
});

test("an anonymous citizen pays from the cart through Checkout to the receipt", async ({ page }) => {
  test.skip(!simulator, "the Nodo simulator (infra/nodo-simulator) is not in this checkout");
  await fillServiceForm(page);
  const email = `mario.${Date.now()}@example.org`;
  await page.getByLabel("E-mail per ricevere la ricevuta (facoltativa)").fill(email);
  await page.getByRole("button", { name: "Paga con pagoPA" }).click();
  // The simulator's Checkout page: choose a PSP and pay.
  await expect(page).toHaveURL(new RegExp(`^${E2E.simulatorUrl}/checkout`));
  await expectAccessible(page);
  await page.getByRole("button", { name: /Paga/ }).click();

  await expect(page).toHaveURL(/\/esito\/[\w-]+\?esito=ok/);
  await expect(page.getByText("Il pagamento è stato completato")).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole("cell", { name: /Pagato il/ })).toBeVisible();
  await screens(page, "result-paid");
  await page.getByRole("link", { name: "ricevuta" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Ricevuta di pagamento");
  await expect(page.getByText("22,22 €").first()).toBeVisible();
  await screens(page, "receipt");
  const receiptUrl = page.url();

  // The worker mailed the receipt (link and PDF) to the address given in the cart.
  let mails: Array<{ subject: string; text: string; attachments: Array<{ filename: string }> }> = [];
  await expect
    .poll(
      async () =>
        (mails = await (await fetch(`${E2E.mailUrl}/messages?to=${encodeURIComponent(email)}`)).json()).length,
      { timeout: 20_000 },
    )
    .toBe(1);
  expect(mails[0]!.subject).toBe("Ricevuta di pagamento pagoPA - Comune di Borgo Fiorito");
  expect(mails[0]!.text).toContain(receiptUrl);
  expect(mails[0]!.attachments[0]!.filename).toMatch(/^ricevuta-.+-c_x001\.pdf$/);
  const pdf = await page.request.get(`${receiptUrl}/pdf`);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");
  // Every answer our station gave the simulated Nodo was valid against the official XSD.
  const violations = await (await fetch(`${E2E.simulatorUrl}/admin/violations`)).json();
  expect(violations).toEqual([]);
});

test("pay a notice by its code shows the live amount and refuses unknown codes", async ({ page }) => {
  await page.goto("/paga-avviso");
  await expectAccessible(page);
  await page.getByLabel("Codice avviso (18 cifre) *").fill("301000000000000000");
  await page.getByLabel("Codice fiscale dell'ente (11 cifre) *").fill("00345670210");
  await page.getByRole("button", { name: "Verifica l'avviso" }).click();
  // Unknown, paid, cancelled and expired look alike to an anonymous visitor (issue 13 item 1).
  await expect(page.getByRole("alert")).toContainText("Non è possibile pagare questo avviso");
  await screens(page, "pay-notice-unknown");

  // The seeded traffic fine of Borgo Fiorito (42,00 €), notified 2 days ago: the live amount is
  // the one the Nodo would get, reduced by 30% by the council's plug-in.
  await page.getByLabel("Codice avviso (18 cifre) *").fill(seededNav("CDS-2026-000123"));
  await page.getByLabel("Codice fiscale dell'ente (11 cifre) *").fill("00345670210");
  await page.getByRole("button", { name: "Verifica l'avviso" }).click();
  await expect(page.locator(".pontepa-amount")).toHaveText("29,40 €");
  await expect(page.getByText("Verbale n. 123/2026 - art. 7 CdS")).toBeVisible();
  await expectAccessible(page);
  await screens(page, "pay-notice-found");
});

test("pay a notice by its code through Checkout: the TARI's third installment", async ({ page }) => {
  test.skip(!simulator, "the Nodo simulator (infra/nodo-simulator) is not in this checkout");
  await page.goto("/paga-avviso");
  const third = seededNav("TARI-2026-0001", 3);
  await page.getByLabel("Codice avviso (18 cifre) *").fill(third);
  await page.getByLabel("Codice fiscale dell'ente (11 cifre) *").fill("00345670210");
  await page.getByRole("button", { name: "Verifica l'avviso" }).click();
  await expect(page.locator(".pontepa-amount")).toHaveText("105,00 €");
  await page.getByRole("button", { name: "Aggiungi al carrello" }).click();
  await expect(page).toHaveURL(/\/carrello$/);
  await page.getByRole("button", { name: "Paga con pagoPA" }).click();
  await expect(page).toHaveURL(new RegExp(`^${E2E.simulatorUrl}/checkout`));
  await page.getByRole("button", { name: /Paga/ }).click();
  await expect(page.getByText("Il pagamento è stato completato")).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole("cell", { name: printedNav(third) })).toBeVisible();
});

test("a cart of two notices from two councils: download one notice, pay both in one Checkout", async ({ page }) => {
  test.skip(!simulator, "the Nodo simulator (infra/nodo-simulator) is not in this checkout");
  await fillServiceForm(page);
  // A second council's service, into the same cart.
  await page.goto("/");
  await page.getByRole("link", { name: "Comune di Valle Serena" }).click();
  await page.getByRole("link", { name: "Diritti di segreteria" }).click();
  await page.getByLabel("Oggetto della richiesta *").fill("Certificato di residenza");
  const debtorFiscalCode = page.getByLabel("Codice fiscale del debitore *");
  if (await debtorFiscalCode.count()) {
    await debtorFiscalCode.fill("BNCGLI85M45L736L");
    await page.getByLabel("Nome e cognome o ragione sociale *").fill("Giulia Bianchi");
  }
  await page.getByRole("button", { name: "Aggiungi al carrello" }).click();
  await expect(page).toHaveURL(/\/carrello$/);
  await expect(page.locator(".pontepa-cart-count")).toHaveText("2");
  await expect(page.getByRole("cell", { name: "Comune di Borgo Fiorito" })).toBeVisible();
  await expect(page.getByRole("cell", { name: "Comune di Valle Serena" })).toBeVisible();
  await expect(page.getByRole("cell", { name: "38,22 €" })).toBeVisible(); // 22,22 + 16,00
  await expectAccessible(page);
  await screens(page, "cart-two-councils");

  // The notice of a cart item, to pay later at any PSP: a real PDF named after its NAV.
  // (fetched with the page's cookies: the cart cookie is the access check).
  const href = await page
    .getByRole("link", { name: /Scarica avviso/ })
    .first()
    .getAttribute("href");
  const res = await page.request.get(href!);
  expect(res.status(), await res.text()).toBe(200);
  expect(res.headers()["content-type"]).toBe("application/pdf");
  expect(res.headers()["content-disposition"]).toMatch(/^attachment; filename="avviso-\d{18}-c_x001\.pdf"$/);
  expect((await res.body()).subarray(0, 5).toString()).toBe("%PDF-");

  await page.getByRole("button", { name: "Paga con pagoPA" }).click();
  await expect(page).toHaveURL(new RegExp(`^${E2E.simulatorUrl}/checkout`));
  await page.getByRole("button", { name: /Paga/ }).click();
  await expect(page.getByText("Il pagamento è stato completato")).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole("cell", { name: /Pagato il/ })).toHaveCount(2);
  await expectAccessible(page);
  await screens(page, "result-two-councils");
});
