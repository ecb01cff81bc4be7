import { expect, test, type Page } from "@playwright/test";
import { staffLogin } from "./staff-login.ts";
import { expectFontsLoaded, expectInputBorders } from "./support.ts";
import { printedNav, seededNav } from "./seeded.ts";

/**
 * Removes the cart's only notice and waits for the emptied cart. Ending a test on the click alone
 * left its navigation (POST, 303, the cart page and its assets) in flight while the context was
 * torn down, which now and then made the teardown hang past the test timeout.
 */
async function emptyCart(page: Page): Promise<void> {
  await page.getByRole("button", { name: /^Rimuovi/ }).click();
  await expect(page.getByText("Il carrello è vuoto.")).toBeVisible();
  await expect(page.locator(".pontepa-cart-count")).toHaveText("0");
}

/** Borders of every control on the page at desktop width and on a phone. */
async function bordersBothWidths(page: Page, path: string): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(path);
  await expectInputBorders(page);
  await page.setViewportSize({ width: 390, height: 844 });
  await expectInputBorders(page);
}

test("Titillium Web loads from our own stylesheet on the portal and the back-office, under a CSP without 'unsafe-inline'", async ({
  page,
  browser,
}) => {
  const response = await page.goto("/");
  const csp = response!.headers()["content-security-policy"]!;
  expect(csp).toContain("style-src 'self'");
  expect(csp).not.toContain("unsafe-inline");
  await expectFontsLoaded(page);
  await page.goto("/paga-avviso");
  await expectFontsLoaded(page);

  const staff = await staffLogin(browser, "admin.borgo");
  await expectFontsLoaded(staff);
  await staff.goto("/backoffice/enti/c_x001/posizioni");
  await expectFontsLoaded(staff);
  await staff.context().close();
});

test("every text field, select and text area of the main forms has a visible border (WCAG 1.4.11)", async ({
  page,
  browser,
}) => {
  for (const path of ["/", "/paga-avviso", "/enti/c_x001/servizi/DIRITTI_SEGRETERIA"])
    await bordersBothWidths(page, path);

  const staff = await staffLogin(browser, "admin.regione");
  for (const path of [
    "/backoffice/enti/c_x001/posizioni",
    "/backoffice/enti/c_x001/posizioni/nuova",
    "/backoffice/enti/c_x001/tipi-pagamento/nuovo",
    "/backoffice/enti/c_x001/conti",
    "/backoffice/enti/c_x001/personale",
    "/backoffice/enti/c_x001/registro",
    "/backoffice/enti/c_x001/pagamenti",
    "/backoffice/assistenza",
    "/backoffice/piattaforma/enti/nuovo",
  ]) {
    await bordersBothWidths(staff, path);
  }
  await staff.context().close();
});

test("on a phone the header is short and its Menu button opens the menu without JavaScript", async ({ browser }) => {
  for (const javaScriptEnabled of [false, true]) {
    const context = await browser.newContext({
      locale: "it-IT",
      viewport: { width: 390, height: 844 },
      javaScriptEnabled,
    });
    const page = await context.newPage();
    await page.goto("/");
    const header = await page.locator("header").boundingBox();
    expect(header!.height, "header height on a phone").toBeLessThan(844 / 4);
    const nav = page.getByRole("navigation", { name: "Navigazione principale" });
    await expect(nav.getByRole("link", { name: "Paga un avviso" })).toBeHidden();
    await nav.getByText("Menu", { exact: true }).click();
    await nav.getByRole("link", { name: "Paga un avviso" }).click();
    await expect(page).toHaveURL(/\/paga-avviso$/);
    await context.close();
  }
});

test("header, content and footer share one left edge", async ({ page }) => {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto("/");
    const left = async (selector: string) => Math.round((await page.locator(selector).first().boundingBox())!.x);
    const content = await left("main h1");
    expect(await left(".it-header-slim-wrapper .navbar-brand")).toBe(content);
    expect(await left(".it-brand-title")).toBe(content);
    expect(await left(".it-footer-small-prints-list li")).toBe(content);
  }
});

test("notice codes break only between groups; captions sit above tables; the home search has a visible label", async ({
  page,
}) => {
  await page.goto("/");
  await expect(page.locator("label[for=q]")).toBeVisible();
  await expect(page.locator("label[for=q]")).toHaveText("Cerca un ente per nome o codice fiscale");

  // A seeded notice of Borgo Fiorito into the cart, looked at on a narrow phone.
  await page.goto("/paga-avviso");
  await page.getByLabel(/Codice avviso/).fill(printedNav(seededNav("MENSA-2026-10-BNCGLI")));
  await page.getByLabel(/Codice fiscale dell'ente/).fill("00345670210");
  await page.getByRole("button", { name: "Verifica l'avviso" }).click();
  await page.getByRole("button", { name: "Aggiungi al carrello" }).click();
  await expect(page).toHaveURL(/\/carrello$/);
  await page.setViewportSize({ width: 320, height: 700 });
  const groups = page.locator("table .pontepa-nav-group");
  await expect(groups).toHaveCount(5);
  const lines = await groups.evaluateAll((els) => els.map((e) => e.getClientRects().length));
  expect(lines).toEqual([1, 1, 1, 1, 1]);

  // Captions, visible or not, come before the rows (Bootstrap puts them under the table).
  const side = await page
    .locator("table caption")
    .first()
    .evaluate((c) => getComputedStyle(c).captionSide);
  expect(side).toBe("top");
  await emptyCart(page);
});

test("the accessibility statement follows AgID's model", async ({ page }) => {
  await page.goto("/accessibilita");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Dichiarazione di accessibilità");
  for (const section of [
    "Stato di conformità",
    "Contenuti non accessibili",
    "Redazione della dichiarazione di accessibilità",
    "Meccanismo di feedback e informazioni di contatto",
    "Procedura di attuazione",
  ]) {
    await expect(page.getByRole("heading", { level: 2, name: section })).toBeVisible();
  }
  await expect(page.getByRole("link", { name: "form.agid.gov.it" })).toHaveAttribute(
    "href",
    "https://form.agid.gov.it",
  );
});

test("a service form shows its amount; 'Paga subito' goes to the payment; after a cancel in Checkout 'Riprova' refills the cart", async ({
  page,
}) => {
  await page.goto("/enti/c_x001/servizi/DIRITTI_SEGRETERIA");
  await expect(page.getByTestId("service-amount")).toContainText("Carta d'identità elettronica: 22,22 €");
  await page.getByLabel("Numero pratica *").fill("AB/2026/18");
  await page.getByLabel("Documento richiesto *").selectOption("CIE");
  await page.getByLabel("Codice fiscale del debitore *").fill("RSSMRA80A01H501U");
  await page.getByLabel("Nome e cognome o ragione sociale *").fill("Mario Rossi");
  await page.getByRole("button", { name: "Paga subito" }).click();
  await expect(page).toHaveURL(/\/carrello#pagamento$/);
  await expect(page.getByRole("cell", { name: "Diritti di segreteria - pratica AB/2026/18" })).toBeVisible();

  await page.getByRole("button", { name: "Paga con pagoPA" }).click();
  await page.getByRole("button", { name: "Annulla" }).click();
  await expect(page).toHaveURL(/\/esito\/[\w-]+\?esito=annullato/);
  await expect(page.locator(".pontepa-cart-count")).toHaveText("0");
  await page.getByRole("button", { name: "Riprova" }).click();
  await expect(page).toHaveURL(/\/carrello#pagamento$/);
  await expect(page.getByRole("cell", { name: "Diritti di segreteria - pratica AB/2026/18" })).toBeVisible();
  await expect(page.locator(".pontepa-cart-count")).toHaveText("1");
  await emptyCart(page);
});

test("codes are typed on a numeric keypad, and the page says where the notice code is printed", async ({ page }) => {
  await page.goto("/paga-avviso");
  for (const label of [/Codice avviso/, /Codice fiscale dell'ente/]) {
    await expect(page.getByLabel(label)).toHaveAttribute("inputmode", "numeric");
    await expect(page.getByLabel(label)).toHaveAttribute("autocomplete", "off");
  }
  await page.getByText("Dove trovo il codice avviso e il codice fiscale dell'ente?").click();
  await expect(page.getByTestId("notice-help")).toContainText("DOVE PAGARE?");
});
