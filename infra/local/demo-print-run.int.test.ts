import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Database } from "../../server/platform/db/database.ts";
import { createChromiumPool } from "../../server/platform/pdf/index.ts";
import { fakeOrgFiscalCode, makeTenant } from "../../server/test/factories.ts";
import { importConfig, seedImportCatalog, silentLogger } from "../../server/test/import-fixtures.ts";
import { testConfig } from "../../server/test/support.ts";
import { getPrintRun, processPrintRun } from "../../server/notices/index.ts";
import { isValidPersonFiscalCode } from "../../server/pagopa/index.ts";
import type { Tenant } from "../../server/generated/prisma/client.ts";
import { demoTariCsv, seedDemoPrintRun } from "./demo-print-run.ts";

describe("the demo's mass printing seed (npm run demo: 1,000 notices; 12 here)", () => {
  const db = new Database({ url: inject("databaseUrl") });
  const pdf = createChromiumPool(testConfig());
  const queued: Array<{ name: string; payload: unknown }> = [];
  const jobs = {
    enqueue: async (job: { name: string }, payload: unknown) => void queued.push({ name: job.name, payload }),
  } as never;
  let root: string;
  let tenant: Tenant;
  const deps = () => ({ db, jobs, logger: silentLogger, config: { IMPORT_STORAGE_DIR: root, ...importConfig(5) } });

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), "demo-print-"));
    tenant = await makeTenant(db);
    await seedImportCatalog(db, tenant, fakeOrgFiscalCode());
  });
  afterAll(async () => {
    await pdf.close();
    await db.close();
    await rm(root, { recursive: true, force: true });
  });

  it("writes valid, distinct debtors in the native layout", () => {
    const rows = demoTariCsv(400).trim().split("\n").slice(1);
    const codes = new Set(rows.map((r) => r.split(";")[2]!));
    expect(codes.size).toBe(400);
    for (const code of codes) expect(isValidPersonFiscalCode(code)).toBe(true);
    expect(rows).toHaveLength(400 + 2 * 100); // every fourth position also in two installments
  });

  it("imports N debts, queues one print run of them, and a second seed doubles nothing", async () => {
    const first = await seedDemoPrintRun(deps(), 12, tenant.ipaCode);
    expect(first.started).toBe(true);
    expect(queued).toEqual([{ name: "print-run", payload: { tenantId: tenant.id, runId: first.runId } }]);
    const { run, selection } = await getPrintRun(db, tenant.id, first.runId);
    expect(run).toMatchObject({ total: 12, status: "QUEUED" });
    expect(selection).toEqual({ importId: first.importId });

    // npm run demo again before the worker printed it: same import, same run, queued again.
    expect(await seedDemoPrintRun(deps(), 12, tenant.ipaCode)).toEqual({ ...first, started: false });
    expect(queued.map((q) => q.payload)).toEqual([
      { tenantId: tenant.id, runId: first.runId },
      { tenantId: tenant.id, runId: first.runId },
    ]);

    // What the worker does with the job: 12 notices, three of them on two pages.
    expect(await processPrintRun({ db, pdf, logger: silentLogger }, tenant.id, first.runId)).toMatchObject({
      status: "DONE",
      printed: 12,
      pageCount: 15,
    });
    expect(await seedDemoPrintRun(deps(), 12, tenant.ipaCode)).toEqual({ ...first, started: false });
    expect(queued).toHaveLength(2);
  });
});
