import { readFileSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Database } from "../platform/db/database.ts";
import { fakeOrgFiscalCode, makeTenant } from "../test/factories.ts";
import {
  councilNav,
  IBAN_MAIN,
  importConfig,
  realWorldAvailable,
  REAL_WORLD_DIR,
  seedImportCatalog,
  silentLogger,
} from "../test/import-fixtures.ts";
import type { Tenant } from "../generated/prisma/client.ts";
import { startImport } from "./start-import.ts";
import { processImport } from "./process-import.ts";
import { outcomeStream } from "./outcome-file.ts";
import { existingPositionKeys, findPositionByKeys } from "../positions/index.ts";

const DIR = path.join(REAL_WORLD_DIR, "govpay-csv/link-it_govpay");
const available = realWorldAvailable("govpay-csv/link-it_govpay");
if (!available) process.stderr.write(`GovPay fixtures not found under ${DIR}: set PAGOPA_SPECS_DIR; skipping` + "\n");

/** Accepted and rejected rows per file, as PROVENANCE.md gives GovPay's own outcome. */
const EXPECTED: Array<[file: string, accepted: number, rejected: number]> = [
  ["tracciato-pendenze.csv", 4, 0],
  ["tracciato-pendenze-duplicati.csv", 1, 1],
  ["tracciato-pendenze-solo-intestazione.csv", 0, 0],
  ["tracciato-pendenze-v2.csv", 68, 0],
  ["tracciato-pendenze-v4.csv", 5, 0],
  ["tracciato-pendenze-v5.csv", 10, 0],
  ["tracciato-pendenze-v7.csv", 10, 0],
  ["tracciato-pendenze-v8.csv", 4, 0],
  ["tracciato-pendenze-v9.csv", 1, 0],
  ["tracciato-pendenze-v10.csv", 4, 0],
  ["tracciato-pendenze-large.csv", 396, 0],
  ["tracciato-pendenze-avvisi-300-rata-unica.csv", 134, 0],
  ["tracciato-pendenze-avvisi-300-no-rata-unica.csv", 120, 0],
  ["tracciato-pendenze-avvisi-300-rata-unica-100k.csv", 134, 0],
  ["tracciato-pendenze-avvisi-300-no-rata-unica-100k.csv", 120, 0],
];

describe.skipIf(!available)("GovPay CSV tracciati from link-it/govpay's own tests", () => {
  const db = new Database({ url: inject("databaseUrl") });
  const deps = { db, config: importConfig(100), logger: silentLogger };
  const storage = `/tmp/pontepa-import-test-${process.pid}`;
  const enqueued: string[] = [];
  const jobs = { enqueue: async (_def: unknown, p: { importId: string }) => void enqueued.push(p.importId) } as never;
  let tenant: Tenant;
  let run = 0;

  beforeAll(async () => {
    tenant = await makeTenant(db);
    await seedImportCatalog(db, tenant, fakeOrgFiscalCode());
  });
  afterAll(() => db.close());

  /** GovPay's test substitutes its placeholders by plain string replace before upload; so do we. */
  const fill = (file: string, prefix: string) =>
    readFileSync(path.join(DIR, file), "utf8")
      .replaceAll("{idA2A}", "A2A-DEMO")
      .replaceAll("{idPendenza}", prefix)
      .replaceAll("{idDominio}", tenant.fiscalCode)
      .replaceAll("{numeroAvviso}", councilNav(tenant))
      .replaceAll("{ibanAccredito}", IBAN_MAIN)
      .replaceAll("{ibanAppoggio}", IBAN_MAIN)
      .replaceAll("{tipoPendenza}", "MENSA")
      .replaceAll("{importo_voce}", "50.25")
      .replaceAll("{importo}", "100.50");

  async function load(file: string, prefix = `P${++run}-${Date.now().toString(36)}`) {
    const started = await startImport(
      { db, config: { IMPORT_STORAGE_DIR: storage, IMPORT_MAX_BYTES: 10_000_000 }, jobs },
      tenant,
      { name: file, content: Readable.from([fill(file, prefix)]), source: "BACKOFFICE" },
      { type: "staff", id: "tester" },
    );
    const summary = await processImport(deps, tenant.id, started.import.id);
    return { ...summary, id: started.import.id, prefix };
  }

  it.each(EXPECTED)("%s: %i accepted, %i rejected", async (file, accepted, rejected) => {
    const result = await load(file);
    expect(result).toMatchObject({ status: "DONE", accepted, rejected });
    const positions = await db.withTenant(tenant.id, (tx) =>
      tx.paymentOption.count({
        where: { tenantId: tenant.id, position: { externalId: { startsWith: result.prefix } } },
      }),
    );
    // Every accepted row has its own notice (a document's rows are options of one position).
    expect(positions).toBe(accepted);
  });

  it("groups a document's single payment and installments into one position, one NAV per row", async () => {
    const { id } = await load("tracciato-pendenze-avvisi-300-rata-unica.csv");
    const positions = await db.withTenant(tenant.id, (tx) =>
      tx.debtPosition.findMany({
        where: { tenantId: tenant.id, data: { path: ["importId"], equals: id } },
        include: { options: true },
      }),
    );
    // 134 rows in 15 documents (one lone row each in some): far fewer positions than rows.
    expect(positions.length).toBeLessThan(40);
    const grouped = positions.filter((p) => p.options.some((o) => o.kind === "SINGLE") && p.options.length > 2);
    expect(grouped.length).toBeGreaterThan(0);
    for (const p of grouped) {
      const numbers = p.options.filter((o) => o.kind === "INSTALLMENT").map((o) => o.installmentNumber!);
      expect(numbers.sort((a, b) => a - b)).toEqual(numbers.map((_, i) => i + 1));
      expect(new Set(p.options.map((o) => o.nav)).size).toBe(p.options.length);
    }
    const rows = await db.withTenant(tenant.id, (tx) => tx.importRow.findMany({ where: { importId: id } }));
    expect(new Set(rows.map((r) => r.nav)).size).toBe(134);
  });

  it("finds a grouped document's position by any row's idPendenza (position_import_keys), not another council's", async () => {
    const { id } = await load("tracciato-pendenze-avvisi-300-rata-unica.csv");
    const rows = await db.withTenant(tenant.id, (tx) => tx.importRow.findMany({ where: { importId: id } }));
    const byPosition = new Map<string, typeof rows>();
    for (const r of rows) byPosition.set(r.positionId!, [...(byPosition.get(r.positionId!) ?? []), r]);
    const [positionId, grouped] = [...byPosition].find(([, rs]) => rs.length > 2)!;
    const position = await db.withTenant(tenant.id, (tx) =>
      tx.debtPosition.findUniqueOrThrow({ where: { tenantId_id: { tenantId: tenant.id, id: positionId } } }),
    );
    const others = grouped.map((r) => r.key!).filter((k) => k !== position.externalId);
    expect(others.length).toBeGreaterThan(1);
    for (const key of others) {
      const found = await db.withTenant(tenant.id, (tx) => findPositionByKeys(tx, tenant.id, [key]));
      expect(found).toMatchObject({ id: positionId, importId: id });
    }
    expect(await db.withTenant(tenant.id, (tx) => existingPositionKeys(tx, tenant.id, [...others, "NO-SUCH"]))).toEqual(
      new Set(others),
    );
    const stranger = await makeTenant(db);
    expect(await db.withTenant(stranger.id, (tx) => existingPositionKeys(tx, tenant.id, others))).toEqual(new Set());
  });

  it("loads four pendenze, then cancels them with importo 0 (annullamento)", async () => {
    const prefix = `ANN-${Date.now().toString(36)}`;
    expect(await load("tracciato-pendenze-annullamento.csv", prefix)).toMatchObject({ accepted: 4, rejected: 0 });
    expect(await load("tracciato-pendenze-annullamento-del.csv", prefix)).toMatchObject({ accepted: 4, rejected: 0 });
    const statuses = await db.withTenant(tenant.id, (tx) =>
      tx.debtPosition.findMany({
        where: { tenantId: tenant.id, externalId: { startsWith: prefix } },
        select: { status: true },
      }),
    );
    expect(statuses.map((s) => s.status)).toEqual(["CANCELLED", "CANCELLED", "CANCELLED", "CANCELLED"]);
  });

  it("writes GovPay's esito: the header its tests expect, the NAV of accepted rows, the error of rejected ones", async () => {
    const { id } = await load("tracciato-pendenze-duplicati.csv");
    const chunks: Buffer[] = [];
    for await (const c of await outcomeStream(db, tenant.id, id, "govpay")) chunks.push(Buffer.from(c));
    const lines = Buffer.concat(chunks).toString("utf8").trim().split("\n");
    expect(lines[0]).toBe(
      "idA2A,idPendenza,idDominio,tipoPendenza,numeroAvviso,pdfAvviso,tipoSoggettoPagatore,identificativoPagatore,anagraficaPagatore,indirizzoPagatore,civicoPagatore,capPagatore,localitaPagatore,provinciaPagatore,nazionePagatore,emailPagatore,cellularePagatore,errore",
    );
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/,3\d{17},/);
    expect(lines[2]).toMatch(/DUPLICATO: .*ripetuto nel file/);
  });
});
