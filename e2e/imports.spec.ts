import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect, test, type Download, type Page } from "@playwright/test";
import { staffLogin } from "./staff-login.ts";
import yauzl from "yauzl";
import { screens } from "./support.ts";
import { dropRoot } from "./seeded.ts";

const IPA = "c_x001";
const IMPORTS = `/backoffice/enti/${IPA}/importazioni`;

/** A native CSV (`;`, header by name): the given debts, each a single payment of a school canteen. */
function nativeCsv(rows: Array<{ id: string; cf: string; name: string; amount: string }>): string {
  const due = `${new Date().getUTCFullYear() + 1}-06-30`;
  const header = "azione;id_esterno;tipo_dovuto;codice_fiscale_debitore;nominativo_debitore;causale;importo;scadenza";
  const lines = rows.map((r) =>
    ["I", r.id, "MENSA_SCOLASTICA", r.cf, r.name, `Mensa scolastica ${r.id}`, r.amount, due].join(";"),
  );
  return [header, ...lines].join("\r\n") + "\r\n";
}

const parseCsv = (text: string) =>
  text
    .replace(/^\uFEFF/, "")
    .trim()
    .split(/\r?\n/)
    .map((l) => l.split(";"));

async function downloadText(download: Download): Promise<string> {
  return readFileSync(await download.path()).toString("utf8");
}

/** The names of a zip's entries (yauzl reads the central directory; it throws on a non-zip). */
function zipEntries(buffer: Buffer): Promise<string[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error("no zip"));
      const names: string[] = [];
      zip.on("entry", (entry: yauzl.Entry) => {
        names.push(entry.fileName);
        zip.readEntry();
      });
      zip.on("end", () => resolve(names));
      zip.on("error", reject);
      zip.readEntry();
    });
  });
}

/**
 * Screenshots and axe of a page that refreshes itself every 2 s (axe would lose its context
 * mid-run): the markup as the server sent it, served at a same-origin address without the meta refresh.
 */
async function expectStillAccessible(page: Page, served: string, name: string): Promise<void> {
  const html = served.replace(/<meta http-equiv="refresh"[^>]*>/, "");
  const still = await page.context().newPage();
  const url = new URL("/backoffice/__progress-snapshot", page.url()).toString();
  await still.route(url, (route) => route.fulfill({ contentType: "text/html; charset=utf-8", body: html }));
  await still.setViewportSize({ width: 1280, height: 900 });
  await still.goto(url);
  await screens(still, name);
  await still.close();
}

// Issue 15's three doors end to end: back-office upload with its self-refreshing progress page and
// outcome file, mass printing of that import's notices, and the council's drop folder.
test("flows: upload a native CSV, download the outcome, print its notices, drop folder", async ({ browser }) => {
  const run = `${Date.now().toString(36)}${process.pid}`.toUpperCase();

  // The drop folder is scanned once a minute: the file goes in first, so the wait overlaps the
  // rest of the test. Its mtime is set in the past so the "still being copied" guard lets it through.
  const dropName = `e2e-drop-${run}.csv`;
  const inbox = path.join(dropRoot, IPA, "in");
  mkdirSync(inbox, { recursive: true });
  writeFileSync(
    path.join(inbox, dropName),
    nativeCsv([{ id: `E2E-DROP-${run}-1`, cf: "RSSMRA80A01H501U", name: "Mario Rossi", amount: "12,50" }]),
  );
  const past = new Date(Date.now() - 60_000);
  utimesSync(path.join(inbox, dropName), past, past);

  // A tenant admin uploads four rows, the third with an invalid fiscal code.
  const admin = await staffLogin(browser, "admin.borgo");
  await admin.goto(IMPORTS);
  await expect(admin.getByRole("heading", { level: 1 })).toHaveText("Importazione da file");
  await screens(admin, "backoffice-imports");
  const fileName = `e2e-mensa-${run}.csv`;
  const ids = [1, 2, 3, 4].map((n) => `E2E-IMP-${run}-${n}`);
  const csv = nativeCsv([
    { id: ids[0]!, cf: "RSSMRA80A01H501U", name: "Mario Rossi", amount: "45,00" },
    { id: ids[1]!, cf: "RSSMRA80A01H501U", name: "Luigi Rossi", amount: "30,50" },
    { id: ids[2]!, cf: "NONVALIDO", name: "Codice Sbagliato", amount: "10,00" },
    { id: ids[3]!, cf: "RSSMRA80A01H501U", name: "Maria Rossi", amount: "22,00" },
  ]);
  await admin.getByLabel("File da importare").setInputFiles({
    name: fileName,
    mimeType: "text/csv",
    buffer: Buffer.from(csv, "utf8"),
  });
  const firstView = admin.waitForResponse(
    (r) => r.request().method() === "GET" && /\/importazioni\/[0-9a-f-]{36}$/.test(r.url()),
  );
  await admin.getByRole("button", { name: "Carica e importa" }).click();
  await expect(admin).toHaveURL(new RegExp(`${IMPORTS}/[0-9a-f-]{36}$`));
  const importId = admin.url().split("/").pop()!;
  await expect(admin.getByRole("heading", { level: 1 })).toHaveText(`Importazione ${fileName}`);
  // The page as first served (it may have refreshed since): while at work, a progress bar and a
  // meta refresh (no JavaScript needed) bring it up to date.
  const firstHtml = await (await firstView).text();
  if (!firstHtml.includes('data-testid="import-status">Completato<')) {
    expect(firstHtml).toMatch(/data-testid="import-status">(In coda|In corso)</);
    expect(firstHtml).toMatch(/<progress id="avanzamento"/);
    expect(firstHtml).toMatch(/<meta http-equiv="refresh" content="2">/);
    await expectStillAccessible(admin, firstHtml, "backoffice-import-progress");
  }
  // No reload from the test: only the page's own refresh can show the end.
  await expect(admin.getByTestId("import-status")).toHaveText("Completato", { timeout: 60_000 });
  await expect(admin.locator('meta[http-equiv="refresh"]')).toHaveCount(0);
  await expect(admin.getByTestId("import-accepted")).toHaveText("3");
  await expect(admin.getByTestId("import-rejected")).toHaveText("1");
  await screens(admin, "backoffice-import-done");

  const outcomeDownload = admin.waitForEvent("download");
  await admin.getByRole("link", { name: "Esito PontePA (CSV)" }).click();
  const outcome = await outcomeDownload;
  expect(outcome.suggestedFilename()).toBe(`e2e-mensa-${run}-esito.csv`);
  const [header, ...lines] = parseCsv(await downloadText(outcome));
  const col = (name: string) => header!.indexOf(name);
  expect(header).toEqual(
    expect.arrayContaining(["riga", "id_esterno", "esito", "numero_avviso", "colonna", "messaggio"]),
  );
  expect(lines).toHaveLength(4);
  const byId = new Map(lines.map((l) => [l[col("id_esterno")]!, l]));
  const bad = byId.get(ids[2]!)!;
  expect(bad[col("riga")]).toBe("4"); // the header is line 1
  expect(bad[col("numero_avviso")]).toBe("");
  expect(bad[col("colonna")]).toBe("codice_fiscale_debitore");
  expect(bad[col("messaggio")]).not.toBe("");
  const navs = [ids[0]!, ids[1]!, ids[3]!].map((id) => byId.get(id)![col("numero_avviso")]!);
  for (const nav of navs) expect(nav).toMatch(/^3\d{17}$/);
  expect(new Set(navs).size).toBe(3);
  const accepted = byId.get(ids[0]!)![col("esito")];
  for (const id of [ids[1]!, ids[3]!]) expect(byId.get(id)![col("esito")]).toBe(accepted);
  expect(bad[col("esito")]).not.toBe(accepted);
  await admin.context().close();

  // An operator prints that import's notices.
  const operator = await staffLogin(browser, "operatore.borgo");
  await operator.goto(`/backoffice/enti/${IPA}/stampe`);
  await expect(operator.getByRole("heading", { level: 1 })).toHaveText("Stampa avvisi");
  await operator.getByLabel("Posizioni dell'importazione").selectOption(importId);
  await expect(operator.getByLabel("Posizioni dell'importazione")).toHaveValue(importId);
  await screens(operator, "backoffice-print-runs");
  await operator.getByRole("button", { name: "Avvia la stampa" }).click();
  await expect(operator).toHaveURL(new RegExp(`/stampe/[0-9a-f-]{36}$`));
  await expect(operator.getByTestId("print-status")).toHaveText("Completata", { timeout: 60_000 });
  await expect(operator.getByTestId("print-printed")).toHaveText("3");
  await screens(operator, "backoffice-print-run-done");

  const zipDownload = operator.waitForEvent("download");
  await operator.getByTestId("print-file-zip").click();
  const zip = readFileSync(await (await zipDownload).path());
  expect(zip.subarray(0, 4).toString("binary")).toBe("PK\u0003\u0004");
  const entries = await zipEntries(zip);
  expect(entries).toHaveLength(3);
  for (const e of entries) expect(e).toMatch(/\.pdf$/);
  // Each position's notice is named after its notice number.
  for (const nav of navs) expect(entries.some((e) => e.includes(nav))).toBe(true);

  const manifestDownload = operator.waitForEvent("download");
  await operator.getByTestId("print-file-manifest").click();
  const [manifestHeader, ...printed] = parseCsv(await downloadText(await manifestDownload));
  expect(manifestHeader!.slice(0, 2)).toEqual(["progressivo", "file"]);
  expect(printed.map((l) => l[1]).sort()).toEqual([...entries].sort());
  await operator.context().close();

  // The drop folder: the scan imports the file and writes its outcome to out/.
  const outFile = path.join(dropRoot, IPA, "out", `e2e-drop-${run}-esito.csv`);
  await expect
    .poll(() => existsSync(outFile), {
      message: `${outFile} written by the drop-folder scan`,
      timeout: 90_000,
      intervals: [1_000],
    })
    .toBe(true);
  const [, dropped] = parseCsv(readFileSync(outFile, "utf8"));
  expect(dropped).toEqual(expect.arrayContaining([`E2E-DROP-${run}-1`]));
  expect(dropped!.some((c) => /^3\d{17}$/.test(c))).toBe(true);
  expect(readdirSync(inbox)).not.toContain(dropName);
});
