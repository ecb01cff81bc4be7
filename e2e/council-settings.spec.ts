import { deflateSync } from "node:zlib";
import { expect, test } from "@playwright/test";
import { staffLogin } from "./staff-login.ts";
import { screens } from "./support.ts";

// Valle Serena (c_x002): the other specs only use its name, its staff page and its citizen
// service list, none of which these settings change; the spec clears them again at the end.
const IPA = "c_x002";
const SETTINGS = `/backoffice/enti/${IPA}/impostazioni`;

/** A small valid PNG (RGB, no alpha): a dark green square with a yellow band across it. */
function logoPng(size = 48): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const byte of b) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // truecolour
  const rows: Buffer[] = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 3); // filter byte 0, then RGB
    const band = y > size / 3 && y < (2 * size) / 3;
    for (let x = 0; x < size; x++) row.set(band ? [255, 204, 0] : [0, 100, 60], 1 + x * 3);
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(Buffer.concat(rows))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

test("a council admin sets logo, colour, privacy notice and contacts; the council's portal pages show them", async ({
  browser,
}) => {
  const page = await staffLogin(browser, "admin.valle");
  try {
    await page.goto(SETTINGS);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Impostazioni dell'ente");

    // Logo: a PNG made here, stored and shown back on the page.
    await page.getByLabel(/Nuovo logo/).setInputFiles({ name: "stemma.png", mimeType: "image/png", buffer: logoPng() });
    await page.getByRole("button", { name: "Carica il logo" }).click();
    await expect(page.getByText("Logo aggiornato.")).toBeVisible();
    const shown = page.getByTestId("logo-attuale");
    await expect(shown).toBeVisible();
    expect(await shown.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(48);

    // A colour too light for white text is refused, in Italian, next to the field.
    await page.getByLabel(/Colore principale/).fill("#7FB2E5");
    await page.getByLabel("E-mail").fill("tributi@valle-serena.example");
    await page.getByRole("button", { name: "Salva le impostazioni" }).click();
    const colourError = page.locator("#primaryColor-errore");
    await expect(colourError).toContainText("colore troppo chiaro");
    await expect(colourError).toContainText("ne serve almeno 4,5:1");
    await expect(page.getByLabel(/Colore principale/)).toHaveAttribute("aria-invalid", "true");
    // What was typed is kept for the admin to fix.
    await expect(page.getByLabel("E-mail")).toHaveValue("tributi@valle-serena.example");
    await screens(page, "council-settings-error");

    // A dark colour, privacy notice and contacts are saved.
    await page.getByLabel(/Colore principale/).fill("#1B5E20");
    await page
      .getByLabel("Testo dell'informativa")
      .fill(
        "Titolare del trattamento è il Comune di Valle Serena.\n\nI dati sono trattati solo per riscuotere il pagamento.",
      );
    await page.getByLabel("PEC").fill("protocollo@pec.valle-serena.example");
    await page.getByLabel("Telefono").fill("0461 123456");
    await page.getByLabel("Indirizzo della sede").fill("Piazza della Fontana 3, Valle Serena");
    await page.getByLabel("Orari di apertura al pubblico").fill("Lunedì-venerdì 9-12");
    await page.getByRole("button", { name: "Salva le impostazioni" }).click();
    await expect(page.getByText("Impostazioni salvate")).toBeVisible();
    await expect(page.getByLabel(/Colore principale/)).toHaveValue("#1B5E20");
    await screens(page, "council-settings");

    // The citizen portal page of the council, as a citizen sees it (no staff session).
    // axe needs a page from an explicit context.
    const citizenContext = await browser.newContext({
      locale: "it-IT",
      timezoneId: "Europe/Rome",
      viewport: { width: 1280, height: 900 },
    });
    const citizen = await citizenContext.newPage();
    try {
      await citizen.goto(`/enti/${IPA}`);
      await expect(citizen.getByRole("heading", { level: 1 })).toContainText("Comune di Valle Serena");
      const logo = citizen.getByTestId("logo-ente");
      await expect(logo).toBeVisible();
      expect(await logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(48);
      await expect(citizen.locator(".it-header-center-wrapper")).toHaveCSS("background-color", "rgb(27, 94, 32)");
      await expect(citizen.locator('header a.btn-primary[href="/carrello"]')).toHaveCSS(
        "background-color",
        "rgb(27, 94, 32)",
      );
      const footer = citizen.getByTestId("contatti-ente");
      await expect(footer.getByRole("heading", { name: "Contatti di Comune di Valle Serena" })).toBeVisible();
      await expect(footer).toHaveCSS("background-color", "rgb(27, 94, 32)");
      await expect(footer).toContainText("Sede: Piazza della Fontana 3, Valle Serena");
      await expect(footer).toContainText("Telefono: 0461 123456");
      await expect(footer).toContainText("E-mail: tributi@valle-serena.example");
      await expect(footer).toContainText("PEC: protocollo@pec.valle-serena.example");
      await expect(footer).toContainText("Orari: Lunedì-venerdì 9-12");
      await screens(citizen, "council-portal");

      // One of its service pages carries the same look.
      await citizen.locator("main").getByRole("link").filter({ hasText: "Diritti di segreteria" }).click();
      await expect(citizen).toHaveURL(new RegExp(`/enti/${IPA}/servizi/`));
      await expect(citizen.getByTestId("logo-ente")).toBeVisible();
      await expect(citizen.locator(".it-header-center-wrapper")).toHaveCSS("background-color", "rgb(27, 94, 32)");
      await expect(citizen.getByTestId("contatti-ente")).toContainText("PEC: protocollo@pec.valle-serena.example");
      await screens(citizen, "council-portal-service");

      await citizen
        .getByTestId("contatti-ente")
        .getByRole("link", { name: /Informativa privacy di/ })
        .click();
      await expect(citizen).toHaveURL(`/enti/${IPA}/privacy`);
      await expect(citizen.getByRole("heading", { level: 1 })).toHaveText(
        "Informativa privacy di Comune di Valle Serena",
      );
      await expect(citizen.locator("main p").filter({ hasText: "Titolare del trattamento" })).toHaveText(
        "Titolare del trattamento è il Comune di Valle Serena.",
      );
      await expect(citizen.locator("main")).toContainText("I dati sono trattati solo per riscuotere il pagamento.");
      await screens(citizen, "council-privacy");
    } finally {
      await citizenContext.close();
    }
  } finally {
    // Leave Valle Serena as the demo pack made it, for whatever runs after.
    await page.goto(SETTINGS);
    if (await page.getByRole("button", { name: "Rimuovi il logo" }).count()) {
      await page.getByRole("button", { name: "Rimuovi il logo" }).click();
      await expect(page.getByText("Logo rimosso")).toBeVisible();
    }
    for (const label of [
      /Colore principale/,
      "Testo dell'informativa",
      "E-mail",
      "PEC",
      "Telefono",
      "Indirizzo della sede",
      "Orari di apertura al pubblico",
    ])
      await page.getByLabel(label).fill("");
    await page.getByRole("button", { name: "Salva le impostazioni" }).click();
    await expect(page.getByText("Impostazioni salvate")).toBeVisible();
    await page.context().close();
  }

  // Restored: the portal page has neither logo nor theme nor contacts any more.
  const after = await browser.newPage();
  await after.goto(`/enti/${IPA}`);
  await expect(after.getByTestId("logo-ente")).toHaveCount(0);
  await expect(after.getByTestId("contatti-ente")).not.toContainText("PEC:");
  await after.close();
});

test("the regional catalogue: a council admin copies a standard service as a draft payment type", async ({
  browser,
}) => {
  const page = await staffLogin(browser, "admin.valle");
  await page.goto(`/backoffice/enti/${IPA}/tipi-pagamento/catalogo-regionale`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Catalogo regionale dei servizi");
  await screens(page, "council-catalogue");
  const card = page.locator("section.card").filter({ has: page.getByRole("heading", { name: "Lampade votive" }) });
  await expect(card).toContainText("9/0114100TS/");
  // A code of this spec's own, so nothing else on Valle Serena is touched.
  const code = "LAMPADE_E2E";
  await card.getByLabel("Codice del tipo di pagamento").fill(code);
  await card.getByRole("button", { name: "Copia tra i miei servizi" }).click();
  await expect(page).toHaveURL(new RegExp(`/tipi-pagamento/${code}$`));
  await screens(page, "council-catalogue-copied");

  await page.goto(`/backoffice/enti/${IPA}/tipi-pagamento`);
  const row = page.getByRole("row").filter({ hasText: code });
  await expect(row).toContainText("Lampade votive");
  await expect(row).toContainText("bozza (non pubblicato)");
  await screens(page, "council-catalogue-types");

  // A draft is not on the citizen portal.
  const citizen = await browser.newPage();
  await citizen.goto(`/enti/${IPA}`);
  await expect(citizen.locator("main")).not.toContainText("Lampade votive");
  await citizen.close();
  await page.context().close();
});
