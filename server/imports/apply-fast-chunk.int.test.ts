import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Database } from "../platform/db/database.ts";
import { fakeOrgFiscalCode, makeTenant } from "../test/factories.ts";
import { seedImportCatalog } from "../test/import-fixtures.ts";
import type { Tenant } from "../generated/prisma/client.ts";
import { applyFastChunk } from "./apply-fast-chunk.ts";
import { readNativeCsv } from "./formats/native.ts";
import type { ImportRecord } from "./record.ts";
import { applyChunk } from "./apply-chunk.ts";
import type { RowOutcome } from "./apply-record.ts";

const pick = <T extends object, K extends keyof T>(o: T, keys: K[]) =>
  Object.fromEntries(keys.map((k) => [k, o[k]])) as Pick<T, K>;

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
  const province = fakeOrgFiscalCode();
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
    await seedImportCatalog(db, tenant, province);
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
    // No audit entry per position: processImport audits the chunk once (docs/decisions/0007).
    expect(await counts()).toEqual({ positions: 2, options: 2, transfers: 4, audits: 0, events: 2 });
  });

  it("writes exactly the rows the general path (applyChunk) writes for the same file", async () => {
    const other = await makeTenant(db);
    await seedImportCatalog(db, other, province);
    const installment = (key: string, n: number) =>
      `I;${key};TARI;RSSMRA80A01H501U;Anna Bianchi;TARI rate ${key};${n};60,25;2027-0${n + 6}-30`;
    const file = [line("I", "CMP-1"), installment("CMP-2", 1), installment("CMP-2", 2), line("I", "CMP-3", "NESSUNO")];
    const ctx = (t: Tenant) => ({
      db,
      tenant: t,
      importId: "00000000-0000-7000-8000-000000000002",
      actor: { type: "system" as const, id: "t" },
      types: new Map(),
    });
    const fast = await db.sql.withTenant(tenant.id, async (tx) =>
      applyFastChunk({ ...ctx(tenant), tx }, await records(file)),
    );
    const general = await db.withTenant(other.id, async (tx) => applyChunk({ ...ctx(other), tx }, await records(file)));
    // Outcomes are stored by row number: the order they come back in does not matter.
    const shape = (o: RowOutcome[] | null) =>
      o
        ?.map((r) => [r.rowNumber, r.outcome, r.key, r.issue?.code, Boolean(r.nav)])
        .sort((x, y) => Number(x[0]) - Number(y[0]));
    expect(shape(fast)).toEqual(shape(general));
    const written = (t: Tenant) =>
      db.withTenant(t.id, async (tx) => {
        const positions = await tx.debtPosition.findMany({
          where: { tenantId: t.id, externalId: { startsWith: "CMP-" } },
          orderBy: { externalId: "asc" },
          include: { paymentType: true, options: { orderBy: { nav: "asc" }, include: { transfers: true } } },
        });
        const self = (v: string | null) => (v === t.fiscalCode ? "COUNCIL" : v);
        return positions.map((p) => ({
          ...pick(p, [
            "externalId",
            "origin",
            "debtorType",
            "debtorFiscalCode",
            "debtorName",
            "subject",
            "status",
            "dueDate",
            "data",
          ]),
          type: p.paymentType?.code,
          published: Boolean(p.publishedAt),
          options: p.options
            .map((o) => ({
              ...pick(o, [
                "kind",
                "installmentNumber",
                "installmentCount",
                "amountCents",
                "description",
                "dueDate",
                "status",
              ]),
              transfers: o.transfers
                .sort((a, b) => a.index - b.index)
                .map((x) => ({
                  ...pick(x, [
                    "index",
                    "iban",
                    "amountCents",
                    "taxonomyCode",
                    "remittanceText",
                    "metadata",
                    "isPostalIban",
                  ]),
                  beneficiary: self(x.beneficiaryFiscalCode),
                })),
            }))
            .sort((a, b) => (a.installmentNumber ?? 0) - (b.installmentNumber ?? 0)),
        }));
      });
    const [a, b] = [await written(tenant), await written(other)];
    expect(a).toHaveLength(2);
    expect(a).toEqual(b);
  });

  it("leaves to the general path, writing nothing, a chunk with a modify, a known key or a key twice", async () => {
    const before = await count();
    expect(await run(await records([line("I", "G-1"), line("M", "F-1")]))).toBeNull();
    expect(await run(await records([line("I", "G-2"), line("I", "F-4")]))).toBeNull();
    expect(await run(await records([line("I", "G-3"), line("I", "G-3")]))).toBeNull();
    expect(await count()).toBe(before);
  });
});
