import { expect, test, type Browser, type Page } from "@playwright/test";
import { expectFontsLoaded, expectInputBorders } from "./support.ts";

/** Logs a member of staff in through the dev realm in a fresh context. */
async function staffLogin(browser: Browser, username: string): Promise<Page> {
  const context = await browser.newContext({ locale: "it-IT", timezoneId: "Europe/Rome", viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto("/backoffice/");
  await page.getByLabel("Nome utente").fill(username);
  await page.getByLabel("Password").fill("demo");
  await page.getByRole("button", { name: "Accedi" }).click();
  await expect(page).toHaveURL(/\/backoffice\//);
  return page;
}

/** Borders of every control on the page at desktop width and on a phone. */
async function bordersBothWidths(page: Page, path: string): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(path);
  await expectInputBorders(page);
  await page.setViewportSize({ width: 390, height: 844 });
  await expectInputBorders(page);
}

test("Titillium Web loads from our own stylesheet on the portal and the back-office, under a CSP without 'unsafe-inline'", async ({ page, browser }) => {
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

test("every text field, select and text area of the main forms has a visible border (WCAG 1.4.11)", async ({ page, browser }) => {
  for (const path of ["/", "/paga-avviso", "/enti/c_x001/servizi/DIRITTI_SEGRETERIA"]) await bordersBothWidths(page, path);

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
