import { expect, test } from "@playwright/test";
import { staffLogin } from "./staff-login.ts";
import { expectAccessible, screens } from "./support.ts";

// Every remaining back-office page, in Italian, at 1280 px and on a phone, with axe.
test("a council admin's pages: summary, accounts, staff, audit log, reconciliation, taxonomy search", async ({
  browser,
}) => {
  const page = await staffLogin(browser, "admin.borgo");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Riepilogo");
  await screens(page, "backoffice-tenant-home");

  await page.getByRole("link", { name: "Conti di accredito" }).click();
  await expect(page.getByRole("cell", { name: "IT68D0306912345100000012345" })).toBeVisible();
  await page.getByLabel("IBAN").fill("IT60X0542811101000000123456");
  await page.getByLabel("Intestatario").fill("Comune di Borgo Fiorito - nuova tesoreria");
  await page.getByLabel("Decorrenza").fill(new Date().toISOString().slice(0, 10));
  await page.getByRole("button", { name: "Aggiungi il conto" }).click();
  // Next to the field and in the error summary at the top.
  await expect(page.getByText(/la decorrenza deve essere almeno 7 giorni dopo oggi/)).toHaveCount(2);
  await expect(page.getByText(/la decorrenza deve essere almeno 7 giorni dopo oggi/).first()).toBeVisible();
  await screens(page, "backoffice-accounts");

  await page.getByRole("link", { name: "Pagamenti", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Pagamenti ricevuti");
  await expect(page.getByTestId("payments-summary")).toContainText("per");
  await screens(page, "backoffice-payments");

  await page.getByRole("link", { name: "Personale" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Personale dell'ente");
  await screens(page, "backoffice-staff");

  await page.getByRole("link", { name: "Registro modifiche" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Registro delle modifiche");
  await screens(page, "backoffice-audit");

  await page.getByRole("link", { name: "Riconciliazione" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Riconciliazione");
  await expect(page.getByRole("heading", { level: 2, name: "Flussi di rendicontazione" })).toBeVisible();
  await screens(page, "backoffice-reconciliation");

  await page.goto("/backoffice/enti/c_x001/tipi-pagamento/tassonomia?q=mense%20scolastiche");
  await expect(page.getByRole("cell", { name: "9/0107101TS/" })).toBeVisible();
  await screens(page, "backoffice-taxonomy");

  // Another council's pages are closed to this admin.
  await page.goto("/backoffice/enti/c_x002/posizioni");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Accesso negato");
  await expectAccessible(page);
});

test("the platform admin's pages: councils, a council's registry data, a station, onboarding", async ({ browser }) => {
  const page = await staffLogin(browser, "admin.regione");
  await page.getByRole("link", { name: "Piattaforma" }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Piattaforma");
  await screens(page, "backoffice-platform");
  await page.getByRole("link", { name: "Comune di Valle Serena" }).click();
  await expect(page.getByLabel("Codice di segregazione")).toHaveValue(/^\d{2}$/);
  await screens(page, "backoffice-platform-tenant");
  await page.goto("/backoffice/piattaforma/enti/nuovo");
  await page.getByRole("button", { name: "Crea l'ente" }).click();
  await expect(page.getByText("denominazione obbligatoria")).toHaveCount(2);
  await expect(page.getByText("denominazione obbligatoria").first()).toBeVisible();
  await screens(page, "backoffice-platform-tenant-new");
  await page.goto("/backoffice/piattaforma");
  await page.locator("a[href^='/backoffice/piattaforma/stazioni/']").first().click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Stazione");
  await screens(page, "backoffice-platform-station");
});
