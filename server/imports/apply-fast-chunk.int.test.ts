import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Database } from "../platform/db/database.ts";
import { fakeOrgFiscalCode, makeTenant } from "../test/factories.ts";
import { seedImportCatalog } from "../test/import-fixtures.ts";
import type { Tenant } from "../generated/prisma/client.ts";
import { applyFastChunk } from "./apply-fast-chunk.ts";
import { readNativeCsv } from "./formats/native.ts";
import type { ImportRecord } from "./record.ts";

const HEADER =
  "azione;id_esterno;tipo_dovuto;codice_fiscale_debitore;nominativo_debitore;causale;rata;importo;scadenza";
const line = (action: string, key: string, type = "TARI", cf = "RSSMRA80A01H501U") =>
  `${action};${key};${type};${cf};Mario Rossi;TARI 2027 ${key};;120,50;2027-09-30`;

async function records(lines: string[]): Promise<ImportRecord[]> {
  const out: ImportRecord[] = [];
  for await (const r of readNativeCsv(Readable.from([[HEADER, ...lines].join("\n") + "\n"]))) out.push(r);
  return out;
}

describe("applyFastChunk: a chunk of new debts on pg, any other chunk left to the general path", () => {
  const db = new Database({ url: inject("databaseUrl") });
  let tenant: Tenant;
  const run = (chunk: ImportRecord[]) =>
    db.sql.withTenant(tenant.id, (tx) =>
      applyFastChunk(
        {
          tx,
          db,
          tenant,
          importId: "00000000-0000-7000-8000-000000000001",
          actor: { type: "system", id: "t" },
          types: new Map(),
        },
        chunk,
      ),
    );
  const count = () => db.withTenant(tenant.id, (tx) => tx.debtPosition.count());
  const counts = () =>
    db.withTenant(tenant.id, async (tx) => ({
      positions: await tx.debtPosition.count(),
      options: await tx.paymentOption.count(),
      transfers: await tx.transfer.count(),
      audits: await tx.auditLog.count({ where: { action: "position.create" } }),
      events: await tx.outboxEvent.count({ where: { type: "position.created" } }),
    }));

  beforeAll(async () => {
    tenant = await makeTenant(db);
    await seedImportCatalog(db, tenant, fakeOrgFiscalCode());
  });
  afterAll(() => db.close());

  it("writes new debts with their NAVs, audit entries and events; rejects bad and unknown-type rows", async () => {
    const outcomes = await run(
      await records([line("I", "F-1"), line("I", "F-2", "NESSUNO"), line("I", "F-3", "TARI", "XXX"), line("I", "F-4")]),
    );
    expect(outcomes?.map((o) => [o.rowNumber, o.outcome, o.issue?.code ?? null])).toEqual([
      [2, "ACCEPTED", null],
      [3, "REJECTED", "TIPO_DOVUTO_NON_VALIDO"],
      [4, "REJECTED", expect.any(String)],
      [5, "ACCEPTED", null],
    ]);
    expect(outcomes?.[0]?.nav).toMatch(/^3\d{17}$/);
    // TARI splits 95/5 with the province: two transfers per option.
    expect(await counts()).toEqual({ positions: 2, options: 2, transfers: 4, audits: 2, events: 2 });
  });

  it("leaves to the general path, writing nothing, a chunk with a modify, a known key or a key twice", async () => {
    const before = await count();
    expect(await run(await records([line("I", "G-1"), line("M", "F-1")]))).toBeNull();
    expect(await run(await records([line("I", "G-2"), line("I", "F-4")]))).toBeNull();
    expect(await run(await records([line("I", "G-3"), line("I", "G-3")]))).toBeNull();
    expect(await count()).toBe(before);
  });
});
