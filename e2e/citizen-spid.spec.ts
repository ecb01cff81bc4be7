import { expect, test } from "@playwright/test";
import { expectAccessible, screens } from "./support.ts";

test("SPID login at level 2, then 'my positions' lists the seeded debts of that fiscal code", async ({ page }) => {
  await page.goto("/le-mie-posizioni");
  // Anonymous: sent to the SPID login page, which lists the IdPs of the registry.
  await expect(page).toHaveURL(/\/accedi\?ritorno=%2Fle-mie-posizioni$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Accedi con SPID o CIE");
  await expectAccessible(page);
  // The official "Entra con SPID" button opens the providers' list (a <details>: no JavaScript needed).
  await expect(page.getByRole("link", { name: "PontePA IdP di test SPID" })).toBeHidden();
  await page.getByText("Entra con SPID", { exact: true }).click();
  await screens(page, "spid-login");
  await page.getByRole("link", { name: "PontePA IdP di test SPID" }).click();

  // The SPID test IdP: level 2 asks for the OTP.
  await page.getByLabel("Nome utente o codice fiscale").fill("mario.rossi");
  await page.getByLabel("Password").fill("demo");
  await page.getByLabel("Codice OTP (6 cifre)").fill("123456");
  await page.getByRole("button", { name: "Entra con SPID" }).click();
  const proceed = page.getByRole("button", { name: "Continua" });
  if (await proceed.isVisible().catch(() => false)) await proceed.click();

  await expect(page).toHaveURL(/\/le-mie-posizioni$/, { timeout: 15_000 });
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Le mie posizioni");
  await expect(page.getByText("RSSMRA80A01H501U")).toBeVisible();
  // Mario Rossi's seeded debts, in two councils.
  await expect(page.getByRole("heading", { name: "TARI 2026 - utenza domestica" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Verbale n. 123/2026 - art. 7 CdS" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Trasporto scolastico a.s. 2026/2027" })).toBeVisible();
  // Giulia Bianchi's canteen is not his.
  await expect(page.getByText("Mensa scolastica - ottobre 2026")).toHaveCount(0);
  await expectAccessible(page);
  await screens(page, "my-positions");

  // The notice of one of his positions downloads as a PDF.
  const href = await page.getByRole("link", { name: /Scarica l'avviso di TARI 2026/ }).getAttribute("href");
  const pdf = await page.request.get(href!);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");

  // Logout ends our session, then the IdP's: its signed LogoutResponse brings the citizen to "Sei uscito".
  await page.getByRole("button", { name: "Esci" }).click();
  const back = page.getByRole("button", { name: "Continua" });
  if (await back.isVisible().catch(() => false)) await back.click();
  await expect(page).toHaveURL(/\/spid\/slo$/, { timeout: 15_000 });
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sei uscito");
  await expectAccessible(page);
  // The page asks for SPID again.
  await page.goto("/le-mie-posizioni");
  await expect(page).toHaveURL(/\/accedi/);
});

test("CIE ID login beside SPID: 'Entra con CIE', the CIE test IdP, then logout through it", async ({ page }) => {
  await page.goto("/le-mie-posizioni");
  await expect(page).toHaveURL(/\/accedi\?ritorno=%2Fle-mie-posizioni$/);
  // One IdP for CIE ID: the button is a link straight to it.
  await page.getByRole("link", { name: "Entra con CIE", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Accedi con CIE");
  await page.getByLabel("Nome utente o codice fiscale").fill("lucia.verdi");
  await page.getByLabel("Password").fill("demo");
  await page.getByLabel("Codice OTP (6 cifre)").fill("123456");
  await page.getByRole("button", { name: "Entra con CIE" }).click();
  const proceed = page.getByRole("button", { name: "Continua" });
  if (await proceed.isVisible().catch(() => false)) await proceed.click();

  await expect(page).toHaveURL(/\/le-mie-posizioni$/, { timeout: 15_000 });
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Le mie posizioni");
  await expect(page.getByText("VRDLCU90A41F205P")).toBeVisible();
  await expectAccessible(page);

  // The session remembers CIE: logout goes through the CIE IdP's single logout.
  await page.getByRole("button", { name: "Esci" }).click();
  const back = page.getByRole("button", { name: "Continua" });
  if (await back.isVisible().catch(() => false)) await back.click();
  await expect(page).toHaveURL(/\/cie\/slo$/, { timeout: 15_000 });
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sei uscito");
  await expect(page.getByText("presso il tuo gestore di identità CIE")).toBeVisible();
});
