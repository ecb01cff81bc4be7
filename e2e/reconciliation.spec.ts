import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Queue } from "bullmq";
import { expect, test, type Page } from "@playwright/test";
import { screens } from "./support.ts";
import { staffLogin } from "./staff-login.ts";
import { E2E } from "./ports.ts";
import { platformFile } from "./seeded.ts";

const simulator = existsSync("infra/nodo-simulator/main.ts");
const BORGO_CF = "00345670210";
type SimPayment = { iuv: string; idPA: string; amountCents: number };
const simPayments = async (): Promise<SimPayment[]> => (await fetch(`${E2E.simulatorUrl}/admin/payments`)).json();

/** A citizen pays Borgo Fiorito's "Diritti di segreteria" (22,22 €) through the simulator's Checkout. */
async function payThroughCheckout(page: Page): Promise<void> {
  await page.goto("/");
  await page.getByRole("link", { name: "Comune di Borgo Fiorito" }).click();
  await page.getByRole("link", { name: "Diritti di segreteria" }).click();
  await page.getByLabel("Numero pratica *").fill("RC/2026/9");
  await page.getByLabel("Documento richiesto *").selectOption("CIE");
  await page.getByLabel("Codice fiscale del debitore *").fill("RSSMRA80A01H501U");
  await page.getByLabel("Nome e cognome o ragione sociale *").fill("Mario Rossi");
  await page.getByRole("button", { name: "Aggiungi al carrello" }).click();
  await expect(page).toHaveURL(/\/carrello$/);
  await page.getByRole("button", { name: "Paga con pagoPA" }).click();
  await expect(page).toHaveURL(new RegExp(`^${E2E.simulatorUrl}/checkout`));
  await page.getByRole("button", { name: /Paga/ }).click();
  await expect(page.getByText("Il pagamento è stato completato")).toBeVisible({ timeout: 20_000 });
}

const platform = () =>
  JSON.parse(readFileSync(platformFile, "utf8")) as { redisUrl: string; queuePrefix: string; treasuryDir: string };

/** Runs a reconciliation job now (not on its schedule), in the platform's own worker. */
async function runJobNow(name: string, payload: Record<string, string>): Promise<void> {
  const { redisUrl, queuePrefix } = platform();
  const url = new URL(redisUrl);
  const queue = new Queue("reconciliation", {
    prefix: queuePrefix,
    connection: { host: url.hostname, port: Number(url.port || 6379) },
  });
  try {
    const job = await queue.add(name, payload, { attempts: 1 });
    await expect.poll(async () => (await queue.getJob(job.id!))?.getState(), { timeout: 30_000 }).toBe("completed");
  } finally {
    await queue.close();
  }
}

/** Cents of the amount after `label` in the totals' summary ("incassati 1.234,56 €"). */
function cents(summary: string, label: string): number {
  const m = summary.match(new RegExp(`${label} ([\\d.]+),(\\d{2}) €`));
  expect(m, summary).toBeTruthy();
  return Number(m![1]!.replace(/\./g, "")) * 100 + Number(m![2]);
}

test("a council admin reads the reconciliation of a paid, reported payment: totals, outcomes, payment, split, exports", async ({
  browser,
}) => {
  test.skip(!simulator, "the Nodo simulator (infra/nodo-simulator) is not in this checkout");
  // The council admin's totals before this payment (earlier specs may have paid Borgo Fiorito too).
  const page = await staffLogin(browser, "admin.borgo");
  const context = page.context();
  const base = "/backoffice/enti/c_x001/riconciliazione";
  await page.goto(`${base}/totali`);
  const collectedBefore = cents(await page.getByTestId("totals-summary").innerText(), "incassati");

  const citizen = await browser.newPage();
  const before = new Set((await simPayments()).map((p) => p.iuv));
  await payThroughCheckout(citizen);
  const mine = (await simPayments()).find((p) => p.idPA === BORGO_CF && !before.has(p.iuv));
  expect(mine, "the simulator recorded the payment").toBeTruthy();
  expect(mine!.amountCents).toBe(2222);
  const iuv = mine!.iuv;
  await citizen.close();

  // The PSP publishes today's reporting flow; the platform fetches and classifies it.
  const generated = await fetch(`${E2E.simulatorUrl}/admin/fdr/generate`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{}",
  });
  expect(generated.status).toBe(200);
  await runJobNow("fetch-reporting-flows", { ipa: "c_x001" });

  await page.goto("/backoffice/enti/c_x001/riconciliazione");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Riconciliazione");
  await screens(page, "recon-overview");

  await page.goto(`${base}/totali`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Totali della riconciliazione");
  // Collected grew by at least this payment (the flow fetch also classifies what earlier specs
  // paid today), reported is at least it; both in Italian money format.
  const summary = await page.getByTestId("totals-summary").innerText();
  expect(cents(summary, "incassati")).toBeGreaterThanOrEqual(collectedBefore + 2222);
  expect(cents(summary, "rendicontati")).toBeGreaterThanOrEqual(2222);
  await expect(page.getByTestId("totals-tipo").getByRole("row", { name: /DIRITTI_SEGRETERIA/ })).toContainText(
    /\d+,\d{2} €/,
  );
  await screens(page, "recon-totals");

  await page.goto(`${base}/esiti`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Esiti della riconciliazione");
  const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: iuv }) });
  await expect(row).toContainText("IUD_RT_IUF");
  await expect(row).toContainText("Rendicontato, in attesa dell'accredito in tesoreria");
  await expect(row).toContainText("22,22 €");
  await screens(page, "recon-outcomes");
  const csvHref = await page.getByRole("link", { name: "Scarica CSV" }).getAttribute("href");
  const csv = await page.request.get(csvHref!);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  const csvText = await csv.text();
  expect(csvText).toContain(iuv);
  expect(csvText.split("\n").find((l) => l.includes(iuv))).toMatch(/IUD_RT_IUF\b/);

  await row.getByRole("link", { name: iuv }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(iuv);
  await expect(page.getByText("22,22 €").first()).toBeVisible();
  await expect(page.locator("main")).toContainText("IUD_RT_IUF");
  await expect(page.locator("main")).toContainText("Rendicontato");
  await screens(page, "recon-payment");

  // The treasurer's journal (the simulator's, for the flows it published) lands in the drop
  // folder and is imported: the flow's credit pays this payment in full.
  const journal = await (await fetch(`${E2E.simulatorUrl}/admin/treasury/${BORGO_CF}.csv`)).text();
  mkdirSync(path.join(platform().treasuryDir, "c_x001"), { recursive: true });
  writeFileSync(path.join(platform().treasuryDir, "c_x001", `giornale-${Date.now()}.csv`), journal);
  await runJobNow("import-treasury-drop-folder", {});
  await page.goto(`${base}/pagamenti/${iuv}`);
  const flowId = (await page.locator("main").innerText()).match(/\d{4}-\d{2}-\d{2}BDPSIMIT-\d+/)![0];
  await expect(page.locator("main")).toContainText("IUD_RT_IUF_TES");
  await page.getByRole("table").filter({ hasText: "Data valuta" }).getByRole("link").first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Accredito di tesoreria");
  await expect(page.locator("main")).toContainText("Riconciliato");
  await expect(page.locator("main")).toContainText(flowId);
  await screens(page, "recon-credit");

  await page.goto(`${base}/ripartizione`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Ripartizione contabile");
  await screens(page, "recon-split");
  const splitHref = await page.getByRole("link", { name: "Scarica CSV" }).getAttribute("href");
  const split = await page.request.get(splitHref!);
  expect(split.headers()["content-type"]).toContain("text/csv");
  expect(await split.text()).toContain(iuv);
  await context.close();
});

test("a council admin uploads the treasurer's journal through the page and sees the credits matched; a reconciled credit offers only the unmatch", async ({
  browser,
}) => {
  test.skip(!simulator, "the Nodo simulator (infra/nodo-simulator) is not in this checkout");
  const page = await staffLogin(browser, "admin.borgo");
  const context = page.context();
  const base = "/backoffice/enti/c_x001/riconciliazione";

  // A payment of its own, reported in a flow of its own, so the journal carries a new credit.
  const citizen = await browser.newPage();
  const before = new Set((await simPayments()).map((p) => p.iuv));
  await payThroughCheckout(citizen);
  const iuv = (await simPayments()).find((p) => p.idPA === BORGO_CF && !before.has(p.iuv))!.iuv;
  await citizen.close();
  const generated = await fetch(`${E2E.simulatorUrl}/admin/fdr/generate`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{}",
  });
  expect(generated.status).toBe(200);
  await runJobNow("fetch-reporting-flows", { ipa: "c_x001" });

  await page.goto(base);
  await page.getByRole("link", { name: "Giornali di cassa" }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Giornali di cassa");
  // Sent without a file: the browser's own check stops it; a wrong type reaches the server.
  await page.getByLabel("Giornale di cassa (XML, CSV, XLS o XLSX)").setInputFiles({
    name: "estratto.pdf",
    mimeType: "application/pdf",
    buffer: Buffer.from("%PDF-1.4"),
  });
  await page.getByRole("button", { name: "Carica e riconcilia" }).click();
  await expect(page.getByTestId("error-summary")).toContainText("Tipo di file non ammesso");
  await expect(page.getByLabel("Giornale di cassa (XML, CSV, XLS o XLSX)")).toHaveAttribute("aria-invalid", "true");
  await screens(page, "recon-journal-upload-error");

  const journal = await (await fetch(`${E2E.simulatorUrl}/admin/treasury/${BORGO_CF}.csv`)).arrayBuffer();
  await page.getByLabel("Giornale di cassa (XML, CSV, XLS o XLSX)").setInputFiles({
    name: "giornale-di-cassa.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(journal),
  });
  await page.getByRole("button", { name: "Carica e riconcilia" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("giornale-di-cassa.csv");
  await expect(page.getByRole("status")).toContainText("Giornale di cassa importato.");
  await expect(page.getByTestId("journal-format")).toHaveText("CSV");
  await expect(page.getByTestId("journal-matched")).not.toHaveText("0");
  await screens(page, "recon-journal");

  // The payment is reconciled through the uploaded journal's credit.
  await page.goto(`${base}/pagamenti/${iuv}`);
  await expect(page.locator("main")).toContainText("IUD_RT_IUF_TES");
  await page.getByRole("table").filter({ hasText: "Data valuta" }).getByRole("link").first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Accredito di tesoreria");
  await expect(page.getByTestId("credit-status")).toHaveText("Riconciliato");
  await expect(page.getByTestId("match-form")).toHaveCount(0);
  await expect(page.getByTestId("unmatch-form")).toBeVisible();
  await screens(page, "recon-credit-reconciled");

  // The same journal again changes nothing and says so.
  await page.goto(`${base}/giornali`);
  await page.getByLabel("Giornale di cassa (XML, CSV, XLS o XLSX)").setInputFiles({
    name: "di-nuovo.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(journal),
  });
  await page.getByRole("button", { name: "Carica e riconcilia" }).click();
  await expect(page.getByRole("status")).toContainText("era già stato importato");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("giornale-di-cassa.csv");
  await context.close();
});
