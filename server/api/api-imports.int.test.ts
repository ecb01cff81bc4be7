import { randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import type { Worker } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Deps } from "../platform/deps.ts";
import { registerReceipt } from "../positions/register-receipt.ts";
import { fakeOrgFiscalCode, makeTenant } from "../test/factories.ts";
import { seedImportCatalog } from "../test/import-fixtures.ts";
import { testDeps } from "../test/support.ts";
import { apiCall, startApi, type RunningApi } from "../test/harness/api/api-server.ts";
import type { Tenant } from "../generated/prisma/client.ts";

const CSV = [
  "id_esterno;tipo_dovuto;codice_fiscale_debitore;nominativo_debitore;causale;importo;scadenza",
  "API-1;MENSA;RSSMRA80A01H501U;Mario Rossi;Mensa gennaio;45,00;2027-01-31",
  "API-2;MENSA;RSSMRA80A01H501U;Mario Rossi;Mensa febbraio;45,00;2027-02-28",
  "API-3;MENSA;NONVALIDO;Mario Rossi;Mensa marzo;45,00;2027-03-31",
].join("\n");

const form = (content: string | Buffer, name: string) => {
  const f = new FormData();
  f.append("file", new Blob([typeof content === "string" ? content : new Uint8Array(content)]), name);
  return f;
};

/** The API door of imports (multipart upload, status, outcome) and the exports, with the real worker. */
describe("imports and exports API", () => {
  const storage = `/tmp/pontepa-api-imports-${process.pid}`;
  let deps: Deps;
  let api: RunningApi;
  let tenant: Tenant;
  let call: ReturnType<typeof apiCall>;
  let workers: Worker[];
  let t: string;

  beforeAll(async () => {
    deps = testDeps({ IMPORT_STORAGE_DIR: storage, IMPORT_MAX_BYTES: "4096" });
    workers = deps.jobs.startWorkers(deps, 1);
    tenant = await makeTenant(deps.db, { name: "Comune API importazioni" });
    await seedImportCatalog(deps.db, tenant, fakeOrgFiscalCode());
    api = await startApi(deps);
    call = apiCall(api.base, await api.token({ clientId: `gestionale-${randomUUID()}`, ipa: tenant.ipaCode }));
    t = `/tenants/${tenant.ipaCode}`;
  });
  afterAll(async () => {
    await Promise.all((workers ?? []).map((w) => w.close()));
    await api?.close();
    await deps?.close();
    await rm(storage, { recursive: true, force: true });
  });

  it("uploads a file (202), the status follows the import to its end, the outcome downloads; a repeat is idempotent", async () => {
    const key = randomUUID();
    const up = await call("POST", `${t}/imports`, form(CSV, "mensa.csv"), key);
    expect(up.status, JSON.stringify(up.json)).toBe(202);
    expect(up.json).toMatchObject({ fileName: "mensa.csv", format: "NATIVE_CSV", source: "API", duplicate: false });
    let status = up.json;
    for (let i = 0; i < 150 && !status.finished; i++) {
      await new Promise((r) => setTimeout(r, 200));
      status = (await call("GET", `${t}/imports/${up.json.importId}`)).json;
    }
    expect(status).toMatchObject({
      status: "DONE",
      accepted: 2,
      rejected: 1,
      percent: 100,
      outcomeLayouts: ["native"],
    });

    const outcome = await call("GET", `${t}/imports/${up.json.importId}/outcome/native`);
    expect(outcome.status).toBe(200);
    expect(outcome.headers.get("content-disposition")).toContain("mensa-esito.csv");
    const rows = parse(await outcome.res.text(), { delimiter: ";", columns: true, bom: true }) as Array<
      Record<string, string>
    >;
    expect(rows.map((r) => [r.id_esterno, r.esito])).toEqual([
      ["API-1", "accettata"],
      ["API-2", "accettata"],
      ["API-3", "scartata"],
    ]);
    const navs = await deps.db.withTenant(tenant.id, (tx) =>
      tx.paymentOption.findMany({ where: { position: { externalId: { in: ["API-1", "API-2"] } } } }),
    );
    expect(
      rows
        .slice(0, 2)
        .map((r) => r.numero_avviso)
        .sort(),
    ).toEqual(navs.map((o) => o.nav).sort());
    // MyPay's layouts are not offered for a native import.
    expect((await call("GET", `${t}/imports/${up.json.importId}/outcome/mypay-scarti`)).status).toBe(404);

    // The same key and request: the first answer replayed, no second import.
    const again = await call("POST", `${t}/imports`, form(CSV, "mensa.csv"), key);
    expect(again.status).toBe(202);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.json.importId).toBe(up.json.importId);
    // The same key with another file: refused, also when the body is as long as the first
    // (the key is bound to the file's content hash, not the request's length).
    expect((await call("POST", `${t}/imports`, form(`${CSV}\n`, "altro.csv"), key)).status).toBe(422);
    const sameLength = CSV.replace("Mensa gennaio", "Mensa Gennaio");
    expect(sameLength.length).toBe(CSV.length);
    const swapped = await call("POST", `${t}/imports`, form(sameLength, "mensa.csv"), key);
    expect(swapped.status).toBe(422);
    expect(swapped.json.code).toBe("IDEMPOTENCY_KEY_REUSED");
    // The same bytes under a new key: the earlier import, flagged as a duplicate.
    const dup = await call("POST", `${t}/imports`, form(CSV, "copia.csv"), randomUUID());
    expect(dup.status).toBe(200);
    expect(dup.json).toMatchObject({ importId: up.json.importId, duplicate: true });
    const count = await deps.db.withTenant(tenant.id, (tx) => tx.importFile.count({ where: { tenantId: tenant.id } }));
    expect(count).toBe(1);
  });

  it("checks size and type as the back-office door does, and wants multipart", async () => {
    const big = await call("POST", `${t}/imports`, form("x;".repeat(3_000), "grande.csv"));
    expect(big.status).toBe(413);
    expect(big.json.code).toBe("IMPORT_TOO_LARGE");
    const zip = await call("POST", `${t}/imports`, form(Buffer.from("PK\x03\x04rest"), "archivio.zip"));
    expect(zip.status).toBe(422);
    expect(zip.json.code).toBe("IMPORT_FILE_INVALID");
    const json = await call("POST", `${t}/imports`, { file: "x" });
    expect(json.status).toBe(422);
    const none = await call("POST", `${t}/imports`, new FormData());
    expect(none.status).toBe(422);
  });

  it("exports the paid receipts (native, MyPay, GovPay, XLSX) and the open debts", async () => {
    const paid = await deps.db.withTenant(tenant.id, (tx) =>
      tx.paymentOption.findFirstOrThrow({ where: { position: { externalId: "API-1" } }, include: { transfers: true } }),
    );
    await registerReceipt(
      deps.db,
      tenant,
      {
        receiptId: `rcpt-api-${tenant.ipaCode}`,
        nav: paid.nav,
        noticeFiscalCode: tenant.fiscalCode,
        outcome: "OK",
        creditorReferenceId: paid.iuv,
        amountCents: 4_500,
        pspId: "PSPTEST",
        paymentDateTime: new Date("2027-01-10T10:00:00Z"),
        standIn: false,
        transfers: paid.transfers.map((x) => ({
          index: x.index,
          amountCents: x.amountCents,
          fiscalCodePA: x.beneficiaryFiscalCode,
          iban: x.iban,
          remittanceText: x.remittanceText,
          category: x.taxonomyCode,
        })),
      },
      async () => undefined,
    );
    const period = "from=2027-01-10&to=2027-01-10";
    const native = await call("GET", `${t}/exports/paid?${period}`);
    expect(native.status).toBe(200);
    expect(native.headers.get("content-disposition")).toContain(`pagati-${tenant.ipaCode}-2027-01-10-2027-01-10.csv`);
    const nativeRows = parse(await native.res.text(), { delimiter: ";", columns: true }) as Array<
      Record<string, string>
    >;
    expect(nativeRows).toEqual([
      expect.objectContaining({ id_esterno: "API-1", numero_avviso: paid.nav, importo_pagato: "45,00" }),
    ]);
    const mypay = await (await call("GET", `${t}/exports/paid?${period}&layout=mypay`)).res.text();
    expect(mypay.split(/\r\n/)[1]).toMatch(new RegExp(`^API-1;${paid.iuv};F;RSSMRA80A01H501U;`));
    const govpay = parse(await (await call("GET", `${t}/exports/paid?${period}&layout=govpay`)).res.text(), {
      columns: true,
    }) as Array<Record<string, string>>;
    expect(govpay).toEqual([
      expect.objectContaining({
        idPendenza: "API-1",
        identificativoUnivocoVersamento: paid.iuv,
        singoloImportoPagato: "45.00",
      }),
    ]);
    const xlsx = await call("GET", `${t}/exports/paid?${period}&format=xlsx`);
    expect(xlsx.headers.get("content-type")).toContain("spreadsheetml");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await xlsx.res.arrayBuffer()) as never);
    expect(wb.worksheets[0]!.getRow(2).getCell(1).value).toBe("API-1");
    expect(wb.worksheets[0]!.getRow(2).getCell(8).value).toBe(45);
    // Nothing paid yesterday (the default period).
    const dflt = await call("GET", `${t}/exports/paid`);
    expect(dflt.status, JSON.stringify(dflt.json)).toBe(200);
    expect((await (await call("GET", `${t}/exports/paid`)).res.text()).trim().split(/\r\n/)).toHaveLength(1);

    const open = parse(await (await call("GET", `${t}/exports/open`)).res.text(), {
      delimiter: ";",
      columns: true,
    }) as Array<Record<string, string>>;
    expect(open.map((r) => r.id_esterno)).toEqual(["API-2"]);
    const refused = await call("GET", `${t}/exports/paid?${period}&layout=govpay&format=xlsx`);
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.json)).toContain("Excel");
  });
});
