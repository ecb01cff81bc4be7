import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Worker } from "bullmq";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { fakeOrgFiscalCode, makeTenant } from "../../server/test/factories.ts";
import { seedImportCatalog } from "../../server/test/import-fixtures.ts";
import type { Tenant } from "../../server/generated/prisma/client.ts";
import { registerReceipt } from "../../server/positions/register-receipt.ts";
import {
  principal,
  sessionFor,
  startBackoffice,
  type Harness,
} from "../../server/test/harness/backoffice/backoffice-harness.ts";

const CSV = [
  "id_esterno;tipo_dovuto;codice_fiscale_debitore;nominativo_debitore;causale;importo;scadenza",
  "WEB-1;MENSA;RSSMRA80A01H501U;Mario Rossi;Mensa gennaio;45,00;2027-01-31",
  "WEB-2;MENSA;RSSMRA80A01H501U;Mario Rossi;Mensa febbraio;45,00;2027-02-28",
  "WEB-3;MENSA;NONVALIDO;Mario Rossi;Mensa marzo;45,00;2027-03-31",
].join("\n");

/** Upload, progress and outcome pages, with the real worker running the import job. */
describe("back-office: importing a file", () => {
  let h: Harness;
  let t: Tenant;
  let dir: string;
  let workers: Worker[];
  let operator: { cookie: string; csrf: string };
  let viewer: { cookie: string; csrf: string };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "bo-imports-"));
    h = await startBackoffice({ env: { IMPORT_STORAGE_DIR: dir } });
    workers = h.deps.jobs.startWorkers(h.deps, 1);
    t = await makeTenant(h.deps.db, { name: "Comune di Caricamento" });
    await seedImportCatalog(h.deps.db, t, fakeOrgFiscalCode());
    operator = await sessionFor(h, principal("op.import", [], { [t.ipaCode]: ["operator"] }));
    viewer = await sessionFor(h, principal("viewer.import", [], { [t.ipaCode]: ["viewer"] }));
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.close()));
    await h.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const base = () => `${h.base}/backoffice/enti/${t.ipaCode}/importazioni`;
  const get = (who: { cookie: string }, url: string) =>
    fetch(url, { redirect: "manual", headers: { cookie: who.cookie, accept: "text/html" } });
  const upload = (who: { cookie: string; csrf: string }, content: string, csrf = who.csrf) => {
    const form = new FormData();
    form.append("_csrf", csrf);
    form.append("file", new Blob([content], { type: "text/csv" }), "mensa.csv");
    return fetch(base(), {
      method: "POST",
      redirect: "manual",
      headers: { cookie: who.cookie, accept: "text/html" },
      body: form,
    });
  };

  test("an operator uploads, the progress page refreshes itself until done, the outcome downloads", async () => {
    const res = await upload(operator, CSV);
    expect(res.status).toBe(303);
    const detail = new URL(res.headers.get("location")!, h.base).toString();
    let html = "";
    for (let i = 0; i < 150; i++) {
      html = await (await get(operator, detail)).text();
      if (html.includes("Completato")) break;
      expect(html).toContain('http-equiv="refresh"');
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(html).toMatch(/data-testid="import-accepted">2</);
    expect(html).toMatch(/data-testid="import-rejected">1</);
    expect(html).not.toContain('http-equiv="refresh"');
    const outcome = await get(operator, `${detail}/esito/native`);
    expect(outcome.headers.get("content-disposition")).toContain("mensa-esito.csv");
    const lines = (await outcome.text()).trim().split(/\r?\n/);
    expect(lines).toHaveLength(4);
    expect(lines[3]).toMatch(/^4;WEB-3;I;scartata;;;codice_fiscale_debitore;CODICE_FISCALE_NON_VALIDO;/);
    expect(lines[1]).toMatch(/^2;WEB-1;I;accettata;3\d{17};\d{17};/);

    const again = await upload(operator, CSV);
    expect(again.headers.get("location")).toBe(`${new URL(detail).pathname}?gia-caricato=1`);
    expect(await (await get(operator, new URL(again.headers.get("location")!, h.base).toString())).text()).toContain(
      'data-testid="import-duplicate"',
    );
  });

  test("an operator prints the notices of the import; the zip, merged PDF and manifest download", async () => {
    const file = await h.deps.db.withTenant(t.id, (tx) =>
      tx.importFile.findFirstOrThrow({ where: { tenantId: t.id }, orderBy: { createdAt: "asc" } }),
    );
    const stampe = `${h.base}/backoffice/enti/${t.ipaCode}/stampe`;
    expect(await (await get(operator, `${base()}/${file.id}`)).text()).toContain(`stampe?importazione=${file.id}`);
    const post = (who: { cookie: string; csrf: string }) =>
      fetch(stampe, {
        method: "POST",
        redirect: "manual",
        headers: { cookie: who.cookie, accept: "text/html", "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ _csrf: who.csrf, importId: file.id, dueFrom: "", dueTo: "" }),
      });
    expect((await post(viewer)).status).toBe(403);
    const res = await post(operator);
    expect(res.status).toBe(303);
    const detail = new URL(res.headers.get("location")!, h.base).toString();
    let html = "";
    for (let i = 0; i < 300; i++) {
      html = await (await get(operator, detail)).text();
      if (html.includes("Completata")) break;
      expect(html).toContain('http-equiv="refresh"');
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(html).toMatch(/data-testid="print-printed">2</);
    const zip = await get(viewer, `${detail}/file/zip`);
    expect(zip.headers.get("content-disposition")).toMatch(/avvisi-.*\.zip/);
    expect(
      Buffer.from(await zip.arrayBuffer())
        .subarray(0, 2)
        .toString(),
    ).toBe("PK");
    const pdf = await get(viewer, `${detail}/file/pdf`);
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe("%PDF-");
    const manifest = (await (await get(viewer, `${detail}/file/manifest`)).text()).trim().split(/\r?\n/);
    expect(manifest).toHaveLength(3);
    expect(manifest[1]).toMatch(/^1;avviso-3\d{17}-.*;Mario Rossi;/);
  });

  test("refuses an upload without the session's token and a viewer's upload, storing nothing", async () => {
    const count = () => h.deps.db.withTenant(t.id, (tx) => tx.importFile.count({ where: { tenantId: t.id } }));
    const before = await count();
    expect((await upload(operator, CSV + "\nX;MENSA;RSSMRA80A01H501U;A;B;1,00;2027-01-01", "forged")).status).toBe(403);
    expect((await upload(viewer, CSV + "\nY;MENSA;RSSMRA80A01H501U;A;B;1,00;2027-01-01")).status).toBe(403);
    expect(await count()).toBe(before);
  });

  test("exports the period's paid receipts in the native and MyPay layouts, streamed", async () => {
    const option = await h.deps.db.withTenant(t.id, (tx) =>
      tx.paymentOption.findFirstOrThrow({ where: { tenantId: t.id, position: { externalId: "WEB-1" } } }),
    );
    await registerReceipt(
      h.deps.db,
      t,
      {
        receiptId: `rcpt-export-${t.ipaCode}`,
        nav: option.nav,
        noticeFiscalCode: t.fiscalCode,
        outcome: "OK",
        creditorReferenceId: option.iuv,
        amountCents: 4_500,
        pspId: "PSPTEST",
        standIn: false,
        transfers: [
          {
            index: 1,
            amountCents: 4_500,
            fiscalCodePA: t.fiscalCode,
            iban: "IT60X0542811101000000123456",
            remittanceText: "Mensa",
            category: "9/0201133IM/",
          },
        ],
      },
      async () => undefined,
    );
    const today = new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Rome" }).format(new Date());
    const native = await (await get(viewer, `${base()}/pagati.csv?dal=${today}&al=${today}`)).text();
    const lines = native.trim().split(/\r?\n/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(
      new RegExp(`^WEB-1;${option.nav};${option.iuv};MENSA;RSSMRA80A01H501U;Mario Rossi;Mensa gennaio;45,00;`),
    );
    const mypay = (await (await get(viewer, `${base()}/pagati.csv?dal=${today}&al=${today}&tracciato=mypay`)).text())
      .trim()
      .split(/\r?\n/);
    expect(mypay[0]).toMatch(/^IUD;codIuv;.*;dataEsecuzionePagamento;importoDovutoPagato;/);
    expect(mypay[1]).toContain(`WEB-1;${option.iuv};F;RSSMRA80A01H501U;Mario Rossi;`);
    expect(mypay[1]).toContain(`;${today};45.00;`);
    const none = await (await get(viewer, `${base()}/pagati.csv?dal=2020-01-01&al=2020-01-31`)).text();
    expect(none.trim().split(/\r?\n/)).toHaveLength(1);
    expect((await get(viewer, `${base()}/pagati.csv?dal=2027-01-31&al=2027-01-01`)).status).toBe(422);
    // The export form: GovPay's layout (one line per transfer), and the open debts as XLSX.
    const govpay = await get(viewer, `${base()}/esporta?tipo=pagati&dal=${today}&al=${today}&tracciato=govpay`);
    expect(govpay.headers.get("content-disposition")).toContain(`-govpay.csv`);
    const govpayLines = (await govpay.text()).trim().split(/\r?\n/);
    expect(govpayLines[0]).toMatch(/^idA2A,idPendenza,idDocumento,/);
    expect(govpayLines[1]).toContain(`,${option.iuv},`);
    const open = await get(viewer, `${base()}/esporta?tipo=aperti&dal=&al=&formato=xlsx`);
    expect(open.headers.get("content-type")).toContain("spreadsheetml");
    expect(
      Buffer.from(await open.arrayBuffer())
        .subarray(0, 2)
        .toString(),
    ).toBe("PK");
    const refused = await get(viewer, `${base()}/esporta?tipo=aperti&tracciato=mypay`);
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain("le posizioni aperte si esportano nel tracciato PontePA");
  });

  test("the native templates download", async () => {
    const csv = await get(viewer, `${base()}/modello.csv`);
    expect(await csv.text()).toMatch(/^\uFEFF?azione;id_esterno;tipo_dovuto;/);
    const xlsx = await get(viewer, `${base()}/modello.xlsx`);
    expect(
      Buffer.from(await xlsx.arrayBuffer())
        .subarray(0, 2)
        .toString(),
    ).toBe("PK");
  });
});
