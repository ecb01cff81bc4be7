import { spawn } from "node:child_process";
import path from "node:path";
import { Readable } from "node:stream";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Database } from "../platform/db/database.ts";
import { fakeOrgFiscalCode, makeTenant } from "../test/factories.ts";
import { importConfig, seedImportCatalog, silentLogger } from "../test/import-fixtures.ts";
import type { Tenant } from "../generated/prisma/client.ts";
import { startImport } from "./start-import.ts";
import { getPositionDetail } from "../positions/index.ts";
import { processImport } from "./process-import.ts";

const HEADER = [
  "azione",
  "id_esterno",
  "tipo_dovuto",
  "codice_fiscale_debitore",
  "nominativo_debitore",
  "causale",
  "rata",
  "importo",
  "scadenza",
  "iban_1",
  "importo_1",
];

describe("native layout (CSV and XLSX), chunked and resumable", () => {
  const db = new Database({ url: inject("databaseUrl") });
  const storage = `/tmp/pontepa-import-test-${process.pid}`;
  const jobs = { enqueue: async () => undefined } as never;
  let tenant: Tenant;

  const upload = (name: string, content: Buffer | string) =>
    startImport(
      { db, config: { IMPORT_STORAGE_DIR: storage, IMPORT_MAX_BYTES: 10_000_000 }, jobs },
      tenant,
      { name, content: Readable.from([Buffer.from(content)]), source: "BACKOFFICE" },
      { type: "staff", id: "tester" },
    );
  const outcomes = (importId: string) =>
    db.withTenant(tenant.id, (tx) => tx.importRow.findMany({ where: { importId }, orderBy: { rowNumber: "asc" } }));

  beforeAll(async () => {
    tenant = await makeTenant(db);
    await seedImportCatalog(db, tenant, fakeOrgFiscalCode());
  });
  afterAll(() => db.close());

  it("imports an XLSX: installments on consecutive rows, date and number cells, a bad row rejected", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("Posizioni");
    ws.addRow(HEADER);
    ws.addRow([
      "I",
      "X-1",
      "MENSA",
      "RSSMRA80A01H501U",
      "Mario Rossi",
      "Mensa 2027",
      "",
      90,
      new Date(Date.UTC(2027, 0, 31)),
    ]);
    ws.addRow(["I", "X-1", "MENSA", "RSSMRA80A01H501U", "Mario Rossi", "Mensa 2027", 1, 45, "2027-01-31"]);
    ws.addRow(["I", "X-1", "MENSA", "RSSMRA80A01H501U", "Mario Rossi", "Mensa 2027", 2, "45,00", "28/02/2027"]);
    ws.addRow([
      "I",
      "X-2",
      "MENSA",
      "RSSMRA80A01H501U",
      "Mario Rossi",
      "Mensa 2027",
      "",
      12.5,
      "2027-01-31",
      "IT00X0000000000000000000000",
      12.5,
    ]);
    ws.addRow(["I", "X-3", "TARI", "RSSMRA80A01H501U", "Mario Rossi", "TARI 2027", "", "200", "2027-06-30"]);
    const result = await upload("posizioni.xlsx", Buffer.from(await wb.xlsx.writeBuffer()));
    expect(result.import.format).toBe("NATIVE_XLSX");
    expect(
      await processImport({ db, config: importConfig(), logger: silentLogger }, tenant.id, result.import.id),
    ).toMatchObject({
      status: "DONE",
      accepted: 4,
      rejected: 1,
    });
    const rows = await outcomes(result.import.id);
    expect(rows.find((r) => r.rowNumber === 5)).toMatchObject({ outcome: "REJECTED", column: "iban_1" });
    // Council systems hear of the finished file once, through the outbox (webhooks).
    const finished = await db.withTenant(tenant.id, (tx) =>
      tx.outboxEvent.findMany({
        where: { type: "import.finished", payload: { path: ["data", "importId"], equals: result.import.id } },
      }),
    );
    expect(finished.map((e) => e.payload)).toMatchObject([{ data: { status: "DONE", accepted: 4, rejected: 1 } }]);
    const x1 = await db.withTenant(tenant.id, (tx) =>
      tx.debtPosition.findUniqueOrThrow({
        where: { tenantId_externalId: { tenantId: tenant.id, externalId: "X-1" } },
        include: { options: { orderBy: { installmentNumber: "asc" } } },
      }),
    );
    expect(x1.options.map((o) => [o.kind, o.amountCents])).toEqual([
      ["INSTALLMENT", 4500],
      ["INSTALLMENT", 4500],
      ["SINGLE", 9000],
    ]);
    expect(rows.filter((r) => r.positionId === x1.id).map((r) => r.nav)).toEqual(
      expect.arrayContaining(x1.options.map((o) => o.nav)),
    );
    // One audit entry for the chunk, none per position it created (docs/decisions/0007); the
    // position's timeline shows the file's upload.
    const audit = await db.withTenant(tenant.id, (tx) =>
      tx.auditLog.findMany({ where: { OR: [{ entityId: result.import.id }, { entityId: x1.id }] } }),
    );
    expect(audit.map((a) => [a.action, a.after]).sort()).toEqual([
      ["import.chunk", { fromRow: 1, toRow: 6, accepted: 4, rejected: 1 }],
      ["import.upload", expect.anything()],
    ]);
    const detail = await getPositionDetail(db, async () => [], tenant.id, x1.id);
    expect(detail.timeline.map((t) => t.action)).toEqual(["import.upload"]);
  });

  /** 60 records, every seventh bad, keys prefixed so two files differ only in their keys. */
  const csvFile = (prefix: string) =>
    [
      HEADER.slice(0, 9).join(";"),
      ...Array.from({ length: 60 }, (_, i) =>
        [
          "I",
          `${prefix}-${i}`,
          i % 7 === 3 ? "BOH" : "MENSA",
          "RSSMRA80A01H501U",
          "Mario Rossi",
          `Retta ${i}`,
          "",
          `${10 + i},50`,
          "2027-09-30",
        ].join(";"),
      ),
    ].join("\n");

  async function assertComplete(importId: string, reference: Awaited<ReturnType<typeof outcomes>>) {
    const rows = await outcomes(importId);
    // No gap, no duplicate: every source row once, in order.
    expect(rows.map((r) => r.rowNumber)).toEqual(Array.from({ length: 60 }, (_, i) => i + 2));
    expect(rows.map((r) => [r.outcome, r.errorCode])).toEqual(reference.map((r) => [r.outcome, r.errorCode]));
    const accepted = rows.filter((r) => r.outcome === "ACCEPTED");
    const positions = await db.withTenant(tenant.id, (tx) =>
      tx.debtPosition.findMany({
        where: { tenantId: tenant.id, data: { path: ["importId"], equals: importId } },
        include: { options: true },
      }),
    );
    expect(positions).toHaveLength(accepted.length);
    expect(new Set(accepted.map((r) => r.nav)).size).toBe(accepted.length);
    expect(positions.flatMap((p) => p.options.map((o) => o.nav)).sort()).toEqual(accepted.map((r) => r.nav).sort());
  }

  it("writes two chunks at once, yet a key repeated in the next chunk is rejected as a duplicate", async () => {
    const row = (key: string, i: number) =>
      ["I", key, "MENSA", "RSSMRA80A01H501U", "Mario Rossi", `Retta ${i}`, "", "10,50", "2027-09-30"].join(";");
    // Chunks of two records: [D-1, D-2] [D-3, D-1] [D-4, D-5]; the second chunk names a key of the
    // first while both may be in flight.
    const keys = ["D-1", "D-2", "D-3", "D-1", "D-4", "D-5"];
    const file = [HEADER.slice(0, 9).join(";"), ...keys.map((k, i) => row(k, i))].join("\n");
    const started = await upload("chunks.csv", file);
    expect(
      await processImport({ db, config: importConfig(2), logger: silentLogger }, tenant.id, started.import.id),
    ).toMatchObject({ status: "DONE", accepted: 5, rejected: 1 });
    const rows = await outcomes(started.import.id);
    expect(rows.map((r) => [r.rowNumber, r.outcome, r.errorCode])).toEqual([
      [2, "ACCEPTED", null],
      [3, "ACCEPTED", null],
      [4, "ACCEPTED", null],
      [5, "REJECTED", "DUPLICATO"],
      [6, "ACCEPTED", null],
      [7, "ACCEPTED", null],
    ]);
    const file2 = await db.withTenant(tenant.id, (tx) =>
      tx.importFile.findUniqueOrThrow({ where: { tenantId_id: { tenantId: tenant.id, id: started.import.id } } }),
    );
    expect(file2.checkpointRow).toBe(7);
  });

  it("resumes after a worker dies mid-chunk, ending as an uninterrupted run does", async () => {
    const reference = await upload("reference.csv", csvFile("REF"));
    await processImport({ db, config: importConfig(10), logger: silentLogger }, tenant.id, reference.import.id);
    const expected = await outcomes(reference.import.id);
    expect(expected.filter((r) => r.outcome === "REJECTED")).toHaveLength(9);

    const started = await upload("interrupted.csv", csvFile("INT"));
    const crash = new Error("worker died");
    await expect(
      processImport({ db, config: importConfig(10), logger: silentLogger }, tenant.id, started.import.id, {
        beforeCommit: async (chunk) => {
          if (chunk === 3) throw crash;
        },
      }),
    ).rejects.toBe(crash);
    const half = await db.withTenant(tenant.id, (tx) =>
      tx.importFile.findUniqueOrThrow({ where: { id: started.import.id } }),
    );
    expect(half).toMatchObject({ status: "RUNNING", checkpointRow: 21 });
    expect(half.accepted + half.rejected).toBe(20);

    expect(
      await processImport({ db, config: importConfig(10), logger: silentLogger }, tenant.id, started.import.id),
    ).toMatchObject({
      status: "DONE",
      accepted: 51,
      rejected: 9,
    });
    await assertComplete(started.import.id, expected);
  });

  it("resumes after a worker process is killed (SIGKILL) halfway", async () => {
    const reference = await upload("reference2.csv", csvFile("REF2"));
    await processImport({ db, config: importConfig(5), logger: silentLogger }, tenant.id, reference.import.id);
    const expected = await outcomes(reference.import.id);

    const started = await upload("killed.csv", csvFile("KIL"));
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        path.resolve(import.meta.dirname, "../test/import-worker-child.ts"),
        inject("databaseUrl"),
        tenant.id,
        started.import.id,
        "5",
      ],
      { stdio: "ignore" },
    );
    const checkpoint = () =>
      db
        .withTenant(tenant.id, (tx) => tx.importFile.findUniqueOrThrow({ where: { id: started.import.id } }))
        .then((f) => f.checkpointRow);
    const deadline = Date.now() + 30_000;
    while ((await checkpoint()) < 15 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    const at = await checkpoint();
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(61);

    await processImport({ db, config: importConfig(5), logger: silentLogger }, tenant.id, started.import.id);
    await assertComplete(started.import.id, expected);
  });
});
