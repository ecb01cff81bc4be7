import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import yazl from "yazl";
import { Database } from "../platform/db/database.ts";
import { fakeOrgFiscalCode, makeTenant } from "../test/factories.ts";
import { importConfig, seedImportCatalog, silentLogger } from "../test/import-fixtures.ts";
import type { Tenant } from "../generated/prisma/client.ts";
import { startImport } from "./start-import.ts";
import { processImport } from "./process-import.ts";
import { outcomeStream } from "./outcome-file.ts";

const SECONDARY_IBAN = "IT60X0542811101000000123456";
const BILANCIO =
  "<bilancio><capitolo><codCapitolo>1010</codCapitolo><accertamento><codAccertamento>A1</codAccertamento><importo>100.00</importo></accertamento></capitolo></bilancio>";

/** One MyPay 1.4 row (35 columns by position); `over` replaces columns by index. */
function row(iud: string, action: string, over: Record<number, string> = {}): string[] {
  const cells = [
    iud,
    "",
    "F",
    "RSSMRA80A01H501U",
    "Mario Rossi",
    "Via Roma",
    "1",
    "35100",
    "Padova",
    "PD",
    "IT",
    "mario@example.it",
    "2027-03-31",
    "100.00",
    "",
    "TARI",
    "ALL",
    `TARI 2026 ${iud}`,
    "9/0101101IM/",
    "",
    "true",
    "false",
    ...Array<string>(12).fill(""),
    action,
  ];
  for (const [i, v] of Object.entries(over)) cells[Number(i)] = v;
  return cells;
}
const HEADER = row("IUD", "azione").map((_, i) => `col${i}`);
const csv = (rows: string[][]) => [HEADER, ...rows].map((r) => r.join(";")).join("\n") + "\n";

async function zip(name: string, content: string): Promise<Buffer> {
  const z = new yazl.ZipFile();
  // A fixed time, so the same flow zipped twice is the same bytes (as a council re-sending it).
  z.addBuffer(Buffer.from(content, "utf8"), name.replace(/\.zip$/, ".csv"), {
    mtime: new Date("2026-11-30T10:00:00Z"),
  });
  z.end();
  const chunks: Buffer[] = [];
  for await (const c of z.outputStream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

describe("MyPay tracciato import dovuti 1.4", () => {
  const db = new Database({ url: inject("databaseUrl") });
  const deps = { db, config: importConfig(4), logger: silentLogger };
  const storage = `/tmp/pontepa-import-test-${process.pid}`;
  const jobs = { enqueue: async () => undefined } as never;
  let tenant: Tenant;
  let province: string;

  async function load(flow: string, content: string) {
    const name = `${tenant.ipaCode}-${flow}-1_4.zip`;
    const started = await startImport(
      { db, config: { IMPORT_STORAGE_DIR: storage, IMPORT_MAX_BYTES: 1_000_000 }, jobs },
      tenant,
      { name, content: Readable.from([await zip(name, content)]), source: "BACKOFFICE" },
      { type: "staff", id: "tester" },
    );
    const summary = await processImport(deps, tenant.id, started.import.id);
    return { ...summary, started };
  }
  const byIud = (iud: string) =>
    db.withTenant(tenant.id, (tx) =>
      tx.debtPosition.findUnique({
        where: { tenantId_externalId: { tenantId: tenant.id, externalId: iud } },
        include: { options: { include: { transfers: { orderBy: { index: "asc" } } } } },
      }),
    );

  beforeAll(async () => {
    tenant = await makeTenant(db);
    province = fakeOrgFiscalCode();
    await seedImportCatalog(db, tenant, province);
    // Debts a first flow created, which the second modifies and cancels.
    const first = await load("PRIMO", csv(["PRE", "PRE2", "PAID", "LOCKED"].map((iud) => row(iud, "I"))));
    expect(first).toMatchObject({ status: "DONE", accepted: 4, rejected: 0 });
    await db.withTenant(tenant.id, async (tx) => {
      const paid = await tx.debtPosition.findUniqueOrThrow({
        where: { tenantId_externalId: { tenantId: tenant.id, externalId: "PAID" } },
      });
      await tx.paymentOption.updateMany({
        where: { positionId: paid.id },
        data: { status: "PAID", paidAt: new Date() },
      });
      await tx.debtPosition.update({ where: { id: paid.id }, data: { status: "PAID" } });
      const locked = await tx.debtPosition.findUniqueOrThrow({
        where: { tenantId_externalId: { tenantId: tenant.id, externalId: "LOCKED" } },
      });
      await tx.paymentOption.updateMany({
        where: { positionId: locked.id },
        data: { paymentToken: "tok-1", lockedUntil: new Date(Date.now() + 15 * 60_000) },
      });
    });
  });
  afterAll(() => db.close());

  const second = () =>
    csv([
      row("OK1", "I", { 19: BILANCIO }), // row 2
      row("MULTI", "I", {
        21: "true",
        22: province,
        23: "Provincia di Padova",
        24: SECONDARY_IBAN,
        32: "TEFA 2026",
        33: "5.00",
      }), // row 3
      row("BADCF", "I", { 3: "RSSMRA80A01H501X" }), // row 4
      row("BADAMOUNT", "I", { 13: "12,50" }), // row 5
      row("BADDATE", "I", { 12: "2027-02-30" }), // row 6
      row("BADTYPE", "I", { 15: "BOH" }), // row 7
      row("OK1", "I"), // row 8: IUD already in this file
      [...row("WIDE", "I"), "extra"], // row 9: one column too many
      row("PRE", "M", { 13: "80.00" }), // row 10
      row("PRE2", "A"), // row 11
      row("PAID", "M", { 13: "70.00" }), // row 12
      row("LOCKED", "A"), // row 13
      row("NOPE", "M"), // row 14: nothing to modify
    ]);

  it("applies the good rows (insert, multi-beneficiary, modify, cancel) and rejects each bad one", async () => {
    const pre = await byIud("PRE");
    const result = await load("SECONDO", second());
    expect(result).toMatchObject({ status: "DONE", accepted: 4, rejected: 9 });

    const ok = await byIud("OK1");
    expect((ok!.data as { mypay: { bilancio: string } }).mypay.bilancio).toBe(BILANCIO);
    // TARI's own split: 95% to the council, 5% to the province.
    expect(ok!.options[0]!.transfers.map((t) => t.amountCents)).toEqual([9_500, 500]);
    // A one-line bilancio names the council's transfer's chapter and assessment.
    expect(ok!.options[0]!.transfers[0]).toMatchObject({ budgetChapter: "1010", assessment: "A1" });

    const multi = await byIud("MULTI");
    const transfers = multi!.options[0]!.transfers;
    expect(transfers.at(-1)).toMatchObject({ beneficiaryFiscalCode: province, iban: SECONDARY_IBAN, amountCents: 500 });
    expect(transfers.reduce((s, t) => s + t.amountCents, 0)).toBe(10_000);

    const modified = await byIud("PRE");
    expect(modified!.options[0]!.amountCents).toBe(8_000);
    expect(modified!.options[0]!.nav).toBe(pre!.options[0]!.nav);
    expect((await byIud("PRE2"))!.status).toBe("CANCELLED");
    expect((await byIud("PAID"))!.options[0]!.amountCents).toBe(10_000);
    expect((await byIud("LOCKED"))!.status).toBe("VALID");
    for (const bad of ["BADCF", "BADAMOUNT", "BADDATE", "BADTYPE", "WIDE", "NOPE"]) expect(await byIud(bad)).toBeNull();

    const chunks: Buffer[] = [];
    for await (const c of await outcomeStream(db, tenant.id, result.started.import.id, "mypay-scarti"))
      chunks.push(Buffer.from(c));
    const lines = Buffer.concat(chunks).toString("utf8").trim().split(/\r?\n/);
    expect(lines[0]).toBe("IUD;riga;cod_rifiuto;de_rifiuto");
    const scarti = Object.fromEntries(lines.slice(1).map((l) => [l.split(";")[1], l]));
    expect(Object.keys(scarti).sort((a, b) => Number(a) - Number(b))).toEqual([
      "4",
      "5",
      "6",
      "7",
      "8",
      "9",
      "12",
      "13",
      "14",
    ]);
    expect(scarti["4"]).toMatch(/^BADCF;4;CODICE_FISCALE_NON_VALIDO;codiceIdentificativoUnivoco/);
    expect(scarti["5"]).toMatch(/IMPORTO_NON_VALIDO;importoDovuto/);
    expect(scarti["6"]).toMatch(/DATA_NON_VALIDA;dataScadenzaPagamento/);
    expect(scarti["7"]).toMatch(/TIPO_DOVUTO_NON_VALIDO;tipoDovuto «BOH»/);
    expect(scarti["8"]).toMatch(/DUPLICATO;IUD OK1 ripetuto nel file/);
    expect(scarti["9"]).toMatch(/NUMERO_CAMPI/);
    expect(scarti["12"]).toMatch(/POSIZIONE_NON_MODIFICABILE/);
    expect(scarti["13"]).toMatch(/POSIZIONE_NON_ANNULLABILE/);
    expect(scarti["14"]).toMatch(/POSIZIONE_INESISTENTE/);
  });

  it("does nothing when the same file comes again", async () => {
    const count = () => db.withTenant(tenant.id, (tx) => tx.debtPosition.count({ where: { tenantId: tenant.id } }));
    const before = await count();
    const again = await load("SECONDO", second());
    expect(again.started.duplicate).toBe(true);
    expect(again).toMatchObject({ status: "DONE", accepted: 4, rejected: 9 });
    expect(await count()).toBe(before);
  });

  it("refuses a zip named for another council", async () => {
    const name = `c_x999-ALTRO-1_4.zip`;
    await expect(
      startImport(
        { db, config: { IMPORT_STORAGE_DIR: storage, IMPORT_MAX_BYTES: 1_000_000 }, jobs },
        tenant,
        { name, content: Readable.from([await zip(name, csv([row("X", "I")]))]), source: "API" },
        { type: "staff", id: "tester" },
      ),
    ).rejects.toMatchObject({ code: "IMPORT_FILE_INVALID" });
  });
});
