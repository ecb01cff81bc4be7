import { expect, type Browser, type Page } from "@playwright/test";

/**
 * Logs a member of staff in through the dev realm (password "demo") in a fresh context with the
 * Italian locale, Rome's time zone and a desktop viewport; returns the page on the back-office.
 */
export async function staffLogin(browser: Browser, username: string): Promise<Page> {
  const context = await browser.newContext({
    locale: "it-IT",
    timezoneId: "Europe/Rome",
    viewport: { width: 1280, height: 900 },
  });
  const page = await context.newPage();
  await page.goto("/backoffice/");
  await page.getByLabel("Nome utente").fill(username);
  await page.getByLabel("Password").fill("demo");
  await page.getByRole("button", { name: "Accedi" }).click();
  await expect(page).toHaveURL(/\/backoffice\//);
  return page;
}
