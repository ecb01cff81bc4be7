import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPI_SPECS_DIR } from "../test/harness/reconciliation/real-world.ts";
import { testDeps } from "../test/support.ts";
import { startSimulatedPagopa } from "../test/harness/reconciliation/simulated-pagopa.ts";
import { createLogger } from "../platform/observability/logger.ts";
import { createFdr3Client, runReportingFetch } from "../nodo/reporting/index.ts";
import { AppError } from "../platform/errors.ts";
import { importTreasuryFile, treasuryOverview } from "./index.ts";

const logger = createLogger({ level: "silent", role: "test" });

describe("treasury journal: credits matched to flows, a missing one and a wrong amount flagged", () => {
  const deps = testDeps();
  let pagopa: Awaited<ReturnType<typeof startSimulatedPagopa>>;
  const flows: Array<{ flowId: string; totalCents: number }> = [];

  beforeAll(async () => {
    pagopa = await startSimulatedPagopa(deps);
    // Three flows: each day's publication after one payment holds that payment alone.
    for (const amount of [1500, 2500, 4000]) {
      const nav = await pagopa.notice(amount);
      expect((await pagopa.pay(nav)).ok).toBe(true);
      flows.push(...(await pagopa.publishFlows()));
    }
    const source = createFdr3Client({ baseUrl: `${pagopa.url}/fdr`, timeoutMs: 5_000, retries: 1 }, logger);
    await runReportingFetch({ db: deps.db, logger, config: deps.config }, source, { ipa: pagopa.tenant.ipaCode });
  });
  afterAll(async () => {
    await pagopa.stop();
    await deps.close();
  });

  it("imports the simulator's journal less one credit, with one amount wrong and a credit that is not pagoPA's", async () => {
    expect(flows.map((f) => f.totalCents)).toEqual([1500, 2500, 4000]);
    const journal = await (await fetch(`${pagopa.url}/admin/treasury/${pagopa.tenant.fiscalCode}.csv`)).text();
    const [header, ...lines] = journal.trim().split("\n");
    expect(lines).toHaveLength(3);
    const [first, second, third] = flows.map((f) => lines.find((l) => l.includes(`/URI/${f.flowId};`))!);
    const wrong = third!.replace(";4000;40,00;", ";3990;39,90;");
    expect(wrong).not.toBe(third);
    const other = "2026-11-30;12000;120,00;CANONE AFFITTO SALA CIVICA;ROSSI MARIO;TRN999";
    const file = Buffer.from([header, first, wrong, other].join("\n") + "\n");

    const summary = await importTreasuryFile(deps.db, pagopa.tenant.id, { fileName: "giornale.csv", bytes: file });
    expect(summary).toMatchObject({ format: "CSV", credits: 3, duplicates: 0, rowErrors: [] });
    expect(summary.matching).toMatchObject({ MATCHED: 1, AMOUNT_MISMATCH: 1 });

    const overview = await treasuryOverview(deps.db, pagopa.tenant.id);
    const status = Object.fromEntries(overview.pagopa.map((c) => [c.flowId, c.status]));
    expect(status).toEqual({ [flows[0]!.flowId]: "MATCHED", [flows[2]!.flowId]: "AMOUNT_MISMATCH" });
    expect(overview.flowsWithoutCredit.map((f) => f.flowId)).toEqual([flows[1]!.flowId]);
    expect(overview.other.map((c) => [c.description, c.amountCents, c.status])).toEqual([
      ["CANONE AFFITTO SALA CIVICA", 12000, "NO_PAGOPA_REFERENCE"],
    ]);
    expect(second).toBeDefined();

    // The same journal again adds nothing; the missing credit arriving later completes the flow.
    const imports = () => deps.db.withTenant(pagopa.tenant.id, (tx) => tx.treasuryImport.count());
    const importsBefore = await imports();
    const again = await importTreasuryFile(deps.db, pagopa.tenant.id, { fileName: "copia.csv", bytes: file });
    expect(again).toMatchObject({ importId: summary.importId, duplicate: true, credits: 0, duplicates: 3 });
    expect(await imports()).toBe(importsBefore);
    // An overlapping journal (another file holding two of the same credits) stores only what is new.
    const overlapping = await importTreasuryFile(deps.db, pagopa.tenant.id, {
      fileName: "giornale-sovrapposto.csv",
      bytes: Buffer.from([header, first, other].join("\r\n") + "\r\n"),
    });
    expect(overlapping).toMatchObject({ duplicate: false, credits: 0, duplicates: 2 });
    const audit = await deps.db.withTenant(pagopa.tenant.id, (tx) =>
      tx.auditLog.findFirstOrThrow({ where: { action: "treasury.import", entityId: summary.importId } }),
    );
    expect(audit).toMatchObject({ actorType: "system", after: { fileName: "giornale.csv", source: "DROP_FOLDER" } });
    const late = await importTreasuryFile(deps.db, pagopa.tenant.id, {
      fileName: "giornale-2.csv",
      bytes: Buffer.from(`${header}\n${second}\n`),
    });
    expect(late.matching.MATCHED).toBe(1);
    expect((await treasuryOverview(deps.db, pagopa.tenant.id)).flowsWithoutCredit).toEqual([]);
  });

  it("refuses an unreadable file with its reason and stores nothing", async () => {
    const before = await deps.db.withTenant(pagopa.tenant.id, (tx) => tx.treasuryImport.count());
    const err = await importTreasuryFile(deps.db, pagopa.tenant.id, {
      fileName: "x.csv",
      bytes: Buffer.from("colonna;altra\n1;2\n"),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("TREASURY_FILE_INVALID");
    expect((err as AppError).message).toMatch(/Header mancanti/);
    expect(await deps.db.withTenant(pagopa.tenant.id, (tx) => tx.treasuryImport.count())).toBe(before);
  });
});

const OPI_XSD = path.join(OPI_SPECS_DIR, "OPI_GIORNALE_DI_CASSA_V_1_6_1.xsd");

describe("treasury journal as OPI XML from the simulator", () => {
  const deps = testDeps();
  let pagopa: Awaited<ReturnType<typeof startSimulatedPagopa>>;

  beforeAll(async () => {
    pagopa = await startSimulatedPagopa(deps);
    for (const amount of [1200, 3400]) {
      const nav = await pagopa.notice(amount);
      expect((await pagopa.pay(nav)).ok).toBe(true);
      await pagopa.publishFlows();
    }
    const source = createFdr3Client({ baseUrl: `${pagopa.url}/fdr`, timeoutMs: 5_000, retries: 1 }, logger);
    await runReportingFetch({ db: deps.db, logger, config: deps.config }, source, { ipa: pagopa.tenant.ipaCode });
  });
  afterAll(async () => {
    await pagopa.stop();
    await deps.close();
  });

  it.skipIf(!existsSync(OPI_XSD))("is valid OPI 1.6.1 (skipped without the OPI schemas)", async () => {
    const xml = await (await fetch(`${pagopa.url}/admin/treasury/${pagopa.tenant.fiscalCode}.xml`)).text();
    const file = path.join(mkdtempSync(path.join(tmpdir(), "opi-")), "gdc.xml");
    writeFileSync(file, xml);
    await promisify(execFile)("xmllint", ["--noout", "--nonet", "--schema", OPI_XSD, file]);
  });

  it("is detected as OPI 1.6.1+ and every credit matches its flow", async () => {
    const xml = await (await fetch(`${pagopa.url}/admin/treasury/${pagopa.tenant.fiscalCode}.xml`)).arrayBuffer();
    const summary = await importTreasuryFile(deps.db, pagopa.tenant.id, {
      fileName: "gdc.xml",
      bytes: Buffer.from(xml),
    });
    expect(summary).toMatchObject({ format: "OPI 1.6.1+", credits: 2, rowErrors: [] });
    expect(summary.matching).toMatchObject({ MATCHED: 2, AMOUNT_MISMATCH: 0, FLOW_NOT_FOUND: 0 });
    expect((await treasuryOverview(deps.db, pagopa.tenant.id)).flowsWithoutCredit).toEqual([]);
  });
});
