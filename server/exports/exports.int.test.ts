import { PassThrough, Readable } from "node:stream";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Database } from "../platform/db/database.ts";
import { fakeOrgFiscalCode, makeTenant } from "../test/factories.ts";
import { importConfig, seedImportCatalog, silentLogger } from "../test/import-fixtures.ts";
import { processImport, startImport } from "../imports/index.ts";
import { registerReceipt } from "../positions/register-receipt.ts";
import type { Tenant } from "../generated/prisma/client.ts";
import { exportRequestSchema, writeExport, type ExportRequest } from "./index.ts";

/** Five debts: two TARI (two transfers each, council 95% + province 5%), two MENSA, one in two installments. */
const CSV = [
  "id_esterno;tipo_dovuto;codice_fiscale_debitore;nominativo_debitore;causale;rata;importo;scadenza",
  "EXP-1;TARI;RSSMRA80A01H501U;Mario Rossi;TARI 2027;;200,00;2027-05-31",
  "EXP-2;TARI;RSSMRA80A01H501U;Luigi Verdi;TARI 2027;;100,00;2027-05-31",
  "EXP-3;MENSA;RSSMRA80A01H501U;Mario Rossi;Mensa gennaio;;45,50;2027-01-31",
  "EXP-4;MENSA;RSSMRA80A01H501U;Mario Rossi;Mensa febbraio;;45,00;2027-02-28",
  "EXP-5;MENSA;RSSMRA80A01H501U;Mario Rossi;Mensa rate;1;20,00;2027-03-31",
  "EXP-5;MENSA;RSSMRA80A01H501U;Mario Rossi;Mensa rate;2;20,00;2027-04-30",
].join("\n");

describe("exports: paid receipts (native CSV/XLSX, MyPay, GovPay) and open debts, parsed back", () => {
  const db = new Database({ url: inject("databaseUrl") });
  const storage = `/tmp/pontepa-export-test-${process.pid}`;
  let tenant: Tenant;
  let province: string;

  const run = async (request: Partial<ExportRequest>): Promise<Buffer> => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on("data", (c: Buffer) => chunks.push(c));
    await writeExport(db, tenant.id, exportRequestSchema.parse(request), out);
    return Buffer.concat(chunks);
  };
  const csv = (buf: Buffer, delimiter = ";") =>
    parse(buf, { delimiter, columns: true, bom: true }) as Array<Record<string, string>>;
  const xlsxRows = async (buf: Buffer) => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as never);
    const sheet = wb.worksheets[0]!;
    const rows: unknown[][] = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    return rows;
  };
  const options = () =>
    db.withTenant(tenant.id, (tx) =>
      tx.paymentOption.findMany({
        where: { tenantId: tenant.id },
        include: { position: true, transfers: { orderBy: { index: "asc" } } },
        orderBy: { nav: "asc" },
      }),
    );
  const optionOf = async (externalId: string, installment: number | null = null) =>
    (await options()).find((o) => o.position.externalId === externalId && o.installmentNumber === installment)!;

  /** A receipt as the Nodo sends it, with the option's own transfers, paid at `at`. */
  const pay = async (externalId: string, at: Date, installment: number | null = null) => {
    const o = await optionOf(externalId, installment);
    await registerReceipt(
      db,
      tenant,
      {
        receiptId: `rcpt-${externalId}-${installment ?? 0}-${tenant.ipaCode}`,
        nav: o.nav,
        noticeFiscalCode: tenant.fiscalCode,
        outcome: "OK",
        creditorReferenceId: o.iuv,
        amountCents: o.amountCents,
        pspId: "PSPTEST01",
        pspName: "Banca di prova",
        paymentDateTime: at,
        standIn: false,
        transfers: o.transfers.map((t) => ({
          index: t.index,
          amountCents: t.amountCents,
          fiscalCodePA: t.beneficiaryFiscalCode,
          iban: t.iban,
          remittanceText: t.remittanceText,
          category: t.taxonomyCode,
        })),
      },
      async () => undefined,
    );
  };

  beforeAll(async () => {
    tenant = await makeTenant(db);
    province = fakeOrgFiscalCode();
    await seedImportCatalog(db, tenant, province);
    const started = await startImport(
      {
        db,
        config: { IMPORT_STORAGE_DIR: storage, IMPORT_MAX_BYTES: 1_000_000 },
        jobs: { enqueue: async () => undefined } as never,
      },
      tenant,
      { name: "export.csv", content: Readable.from([Buffer.from(CSV)]), source: "BACKOFFICE" },
      { type: "staff", id: "tester" },
    );
    const summary = await processImport(
      { db, config: importConfig(), logger: silentLogger },
      tenant.id,
      started.import.id,
    );
    expect(summary).toMatchObject({ accepted: 6, rejected: 0 });
    // 23:30 Rome on 14 May is still 14 May (21:30 UTC); 00:30 Rome on 16 May is 15 May UTC but 16 May in Rome.
    await pay("EXP-1", new Date("2027-05-14T21:30:00Z"));
    await pay("EXP-3", new Date("2027-05-15T09:00:00Z"));
    await pay("EXP-5", new Date("2027-05-15T22:30:00Z"), 1);
  });
  afterAll(() => db.close());

  it("native CSV: the receipts paid in a period of Rome days, amounts in euro, one row each", async () => {
    const rows = csv(await run({ kind: "paid", from: "2027-05-14", to: "2027-05-15" }));
    expect(rows.map((r) => r.id_esterno)).toEqual(["EXP-1", "EXP-3"]);
    const exp1 = await optionOf("EXP-1");
    expect(rows[0]).toMatchObject({
      numero_avviso: exp1.nav,
      iuv: exp1.iuv,
      tipo_dovuto: "TARI",
      codice_fiscale_debitore: "RSSMRA80A01H501U",
      importo_pagato: "200,00",
      data_pagamento: "2027-05-14T21:30:00.000Z",
      psp: "Banca di prova",
    });
    expect(rows[1]!.importo_pagato).toBe("45,50");
    // The receipt paid at 00:30 of 16 May in Rome belongs to the 16th.
    expect(csv(await run({ kind: "paid", from: "2027-05-16", to: "2027-05-16" })).map((r) => r.id_esterno)).toEqual([
      "EXP-5",
    ]);
  });

  it("native XLSX: the same rows, amounts as numbers", async () => {
    const rows = await xlsxRows(await run({ kind: "paid", from: "2027-05-14", to: "2027-05-16", format: "xlsx" }));
    expect(rows[0]![0]).toBe("id_esterno");
    expect(rows.slice(1).map((r) => [r[0], r[7]])).toEqual([
      ["EXP-1", 200],
      ["EXP-3", 45.5],
      ["EXP-5", 20],
    ]);
  });

  it("MyPay's paid layout: IUD, IUV, Rome payment day and amount with a dot", async () => {
    const rows = csv(await run({ kind: "paid", from: "2027-05-14", to: "2027-05-16", layout: "mypay" }));
    const exp3 = await optionOf("EXP-3");
    expect(rows).toHaveLength(3);
    expect(rows[1]).toMatchObject({
      IUD: "EXP-3",
      codIuv: exp3.iuv,
      dataEsecuzionePagamento: "2027-05-15",
      importoDovutoPagato: "45.50",
      tipoDovuto: "MENSA",
      identificativoUnivocoRiscossione: `rcpt-EXP-3-0-${tenant.ipaCode}`,
    });
    expect(rows[2]!.dataEsecuzionePagamento).toBe("2027-05-16");
  });

  it("GovPay's layout: one `,` line per riscossione (transfer), amounts adding up to the receipt", async () => {
    const rows = csv(await run({ kind: "paid", from: "2027-05-14", to: "2027-05-14", layout: "govpay" }), ",");
    const exp1 = await optionOf("EXP-1");
    expect(rows).toHaveLength(2);
    expect(rows.map((r) => [r.idPendenza, r.idVocePendenza, r.identificativoDominio, r.singoloImportoPagato])).toEqual([
      ["EXP-1", "1", tenant.fiscalCode, "190.00"],
      ["EXP-1", "2", province, "10.00"],
    ]);
    expect(rows[0]).toMatchObject({
      identificativoUnivocoVersamento: exp1.iuv,
      idTipoPendenza: "TARI",
      dataScadenza: "2027-05-31",
      dataEsitoSingoloPagamento: "2027-05-14",
      identificativoAttestante: "PSPTEST01",
      datiSpecificiRiscossione: "9/0101101IM/",
    });
  });

  it("open debts (CSV and XLSX): every unpaid option of the published positions, nothing paid", async () => {
    const rows = csv(await run({ kind: "open" }));
    const expected = (await options()).filter((o) => o.status === "UNPAID");
    expect(rows).toHaveLength(expected.length);
    expect(rows.map((r) => `${r.id_esterno}/${r.rata}`).sort()).toEqual(["EXP-2/", "EXP-4/", "EXP-5/2"]);
    for (const r of rows) {
      const o = expected.find((e) => e.nav === r.numero_avviso)!;
      expect(r.importo).toBe((o.amountCents / 100).toFixed(2).replace(".", ","));
      expect(r.iuv).toBe(o.iuv);
    }
    expect(rows.find((r) => r.id_esterno === "EXP-5")).toMatchObject({
      scadenza: "2027-04-30",
      stato_posizione: "PARTIALLY_PAID",
    });
    // A due-date range narrows it; XLSX holds the same rows.
    const april = csv(await run({ kind: "open", from: "2027-04-01", to: "2027-04-30" }));
    expect(april.map((r) => r.id_esterno)).toEqual(["EXP-5"]);
    const sheet = await xlsxRows(await run({ kind: "open", format: "xlsx" }));
    expect(
      sheet
        .slice(1)
        .map((r) => r[14])
        .sort(),
    ).toEqual(rows.map((r) => r.numero_avviso).sort());
  });

  it("refuses what it cannot export", () => {
    expect(exportRequestSchema.safeParse({ kind: "paid" }).success).toBe(false);
    expect(exportRequestSchema.safeParse({ kind: "paid", from: "2027-02-01", to: "2027-01-01" }).success).toBe(false);
    expect(exportRequestSchema.safeParse({ kind: "paid", from: "2025-01-01", to: "2027-01-01" }).success).toBe(false);
    expect(exportRequestSchema.safeParse({ kind: "open", layout: "mypay" }).success).toBe(false);
    expect(
      exportRequestSchema.safeParse({
        kind: "paid",
        from: "2027-01-01",
        to: "2027-01-02",
        layout: "govpay",
        format: "xlsx",
      }).success,
    ).toBe(false);
  });
});
