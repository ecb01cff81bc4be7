import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDeps } from "../../test/support.ts";
import { startSimulatedPagopa } from "../../test/harness/reconciliation/simulated-pagopa.ts";
import { SPECS_DIR } from "../../test/harness/reconciliation/real-world.ts";
import { createLogger } from "../../platform/observability/logger.ts";
import { bodyElement } from "../../../infra/nodo-simulator/xsd-check.ts";
import { createFdr3Client } from "./fdr3-client.ts";
import { createNodeForPaReportingClient } from "./node-for-pa-client.ts";
import { runReportingFetch } from "./fetch-reporting-flows.job.ts";

const run = promisify(execFile);
const NODE_FOR_PA_XSD = path.join(SPECS_DIR, "wsdl/xsd/nodeForPa.xsd");
const logger = createLogger({ level: "silent", role: "test" });

describe("reporting flows: simulator payments → flows published → fetched → matched → REPORTED", () => {
  const deps = testDeps({ RECONCILIATION_UNREPORTED_DAYS: "1" });
  let pagopa: Awaited<ReturnType<typeof startSimulatedPagopa>>;
  const http = { timeoutMs: 5_000, retries: 1 };

  beforeAll(async () => {
    pagopa = await startSimulatedPagopa(deps);
  });
  afterAll(async () => {
    await pagopa.stop();
    await deps.close();
  });

  const inTenant = <T>(fn: Parameters<typeof deps.db.withTenant<T>>[1]) => deps.db.withTenant(pagopa.tenant.id, fn);
  const optionOf = (nav: string) =>
    inTenant((tx) => tx.paymentOption.findFirstOrThrow({ where: { nav }, include: { position: true } }));
  const fetchWith = (source: Parameters<typeof runReportingFetch>[1], now?: Date) =>
    runReportingFetch({ db: deps.db, logger, config: deps.config }, source, {
      ipa: pagopa.tenant.ipaCode,
      ...(now ? { now: now.toISOString() } : {}),
    }) as Promise<
      Record<string, { listed: number; stored: number; matched: number; unreported: number; failed: unknown[] }>
    >;

  it("fetches the published flows by FdR 3, matches every row and sets options and positions REPORTED", async () => {
    const one = await pagopa.notice(1500);
    const two = await pagopa.notice(2000, 2);
    const standIn = await pagopa.notice(700);
    expect((await pagopa.pay(one)).ok).toBe(true);
    expect((await pagopa.pay(two)).ok).toBe(true);
    expect((await pagopa.pay(standIn, { standIn: true })).ok).toBe(true);
    const late = await pagopa.notice(900); // paid after the flows: no flow reports it yet
    const published = await pagopa.publishFlows();
    const ours = published.filter((f) => f.totalCents > 0);
    expect(ours.reduce((s, f) => s + f.count, 0)).toBe(4); // 1 + 2 transfers + 1

    const rest = createFdr3Client({ ...http, baseUrl: `${pagopa.url}/fdr` }, logger);
    const first = (await fetchWith(rest))[pagopa.tenant.ipaCode]!;
    expect(first).toMatchObject({ listed: ours.length, stored: ours.length, failed: [] });

    const flows = await inTenant((tx) => tx.reportingFlow.findMany({ include: { rows: true } }));
    expect(flows.map((f) => f.format)).toEqual(ours.map(() => "FDR3"));
    const rows = flows.flatMap((f) => f.rows);
    expect(rows).toHaveLength(4);
    expect(rows.every((r) => r.receiptRowId !== null)).toBe(true);
    for (const nav of [one, two, standIn]) {
      const option = await optionOf(nav);
      expect([option.status, option.position.status]).toEqual(["REPORTED", "REPORTED"]);
    }
    // The Stand-In payment is reported with outcome 4: matched, and shown to a person.
    const anomalies = await inTenant((tx) => tx.reconciliationAnomaly.findMany({ where: { resolvedAt: null } }));
    expect(anomalies.map((a) => [a.kind, (a.details as { outcomeCode?: number }).outcomeCode])).toEqual([
      ["OUTCOME_TO_CHECK", 4],
    ]);

    // The same flows again are the same flows.
    const again = (await fetchWith(rest))[pagopa.tenant.ipaCode]!;
    expect(again).toMatchObject({ listed: ours.length, stored: 0 });
    expect(await inTenant((tx) => tx.reportingFlow.count())).toBe(ours.length);

    // A receipt paid and never reported is flagged once its days have passed.
    expect((await pagopa.pay(late)).ok).toBe(true);
    const later = (await fetchWith(rest, new Date(Date.now() + 2 * 86_400_000)))[pagopa.tenant.ipaCode]!;
    expect(later.unreported).toBe(1);
    const flagged = await inTenant((tx) =>
      tx.reconciliationAnomaly.findMany({ where: { kind: "RECEIPT_NOT_REPORTED" } }),
    );
    expect(flagged.map((a) => a.iuv)).toEqual([(await optionOf(late)).iuv]);
    expect((await optionOf(late)).status).toBe("PAID");
  });

  it("fetches by nodeForPa SOAP as well: the same flows are recognised, a new one is stored and matched", async () => {
    const nav = await pagopa.notice(1100);
    expect((await pagopa.pay(nav)).ok).toBe(true);
    const published = await pagopa.publishFlows();
    expect(published.length).toBeGreaterThan(0);
    const soap = createNodeForPaReportingClient({ ...http, url: pagopa.nodeForPaUrl, password: "devpassword" }, logger);
    const before = await inTenant((tx) => tx.reportingFlow.count());
    const result = (await fetchWith(soap))[pagopa.tenant.ipaCode]!;
    expect(result.failed).toEqual([]);
    const after = await inTenant((tx) => tx.reportingFlow.findMany({ orderBy: { receivedAt: "asc" } }));
    // Only what REST did not already bring: the new day's flow(s), read as FdR 1 XML.
    expect(result.stored).toBe(published.length);
    expect(after.length - before).toBe(published.length);
    expect(after.slice(before).every((f) => f.format === "FDR1 FlussoRiversamento 1.0")).toBe(true);
    expect((await optionOf(nav)).status).toBe("REPORTED");
    // The flag on the late receipt is closed now that a flow reports it.
    const open = await inTenant((tx) =>
      tx.reconciliationAnomaly.findMany({ where: { kind: "RECEIPT_NOT_REPORTED", resolvedAt: null } }),
    );
    expect(open).toEqual([]);
  });

  it("a PSP's revision supersedes the flow: the dropped payment is no longer REPORTED, the kept one still is", async () => {
    const kept = await pagopa.notice(1300);
    const dropped = await pagopa.notice(1700);
    expect((await pagopa.pay(kept)).ok).toBe(true);
    expect((await pagopa.pay(dropped)).ok).toBe(true);
    await pagopa.publishFlows();
    const rest = createFdr3Client({ ...http, baseUrl: `${pagopa.url}/fdr` }, logger);
    await fetchWith(rest);
    expect((await optionOf(dropped)).status).toBe("REPORTED");
    const droppedIuv = (await optionOf(dropped)).iuv;
    const original = await inTenant((tx) =>
      tx.reportingFlow.findFirstOrThrow({ where: { supersededAt: null, rows: { some: { iuv: droppedIuv } } } }),
    );

    const revised = await fetch(`${pagopa.url}/admin/fdr/revise`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ flowId: original.flowId, dropIuvs: [droppedIuv] }),
    });
    expect(revised.status).toBe(200);
    const result = (await fetchWith(rest))[pagopa.tenant.ipaCode]!;
    expect(result.stored).toBe(1);

    const versions = await inTenant((tx) =>
      tx.reportingFlow.findMany({ where: { flowId: original.flowId }, orderBy: { revision: "asc" } }),
    );
    expect(versions.map((v) => [v.revision, v.supersededAt !== null, v.rowsCount])).toEqual([
      [1, true, original.rowsCount],
      [2, false, original.rowsCount - 1],
    ]);
    const droppedNow = await optionOf(dropped);
    expect([droppedNow.status, droppedNow.position.status]).toEqual(["PAID", "PAID"]);
    expect((await optionOf(kept)).status).toBe("REPORTED");
    // Fetching again changes nothing: revision 2 is held, revision 1 is no longer listed.
    expect((await fetchWith(rest))[pagopa.tenant.ipaCode]).toMatchObject({ stored: 0 });
  });

  it.skipIf(!existsSync(NODE_FOR_PA_XSD))(
    "every nodeForPa request the SOAP client sent validates against the official nodeForPa.xsd (skipped without PAGOPA_SPECS_DIR)",
    async () => {
      expect(pagopa.nodeForPaRequests.length).toBeGreaterThanOrEqual(2);
      const dir = mkdtempSync(path.join(tmpdir(), "nfpa-"));
      const files = pagopa.nodeForPaRequests.map((req, i) => {
        const element = bodyElement(req);
        expect(element, req).toBeDefined();
        const file = path.join(dir, `req${i}.xml`);
        writeFileSync(file, element!);
        return file;
      });
      const operations = pagopa.nodeForPaRequests.map((r) => /nodoChiedi\w+Rendicontazione/.exec(r)?.[0]);
      expect(new Set(operations)).toEqual(
        new Set(["nodoChiediElencoFlussiRendicontazione", "nodoChiediFlussoRendicontazione"]),
      );
      await run("xmllint", ["--noout", "--nonet", "--schema", NODE_FOR_PA_XSD, ...files]);
    },
  );

  it("pagoPA unreachable: one council waits out the retries, the others skip the fetch this run", async () => {
    const dead = createFdr3Client({ timeoutMs: 500, retries: 1, baseUrl: "http://127.0.0.1:9/fdr" }, logger);
    let calls = 0;
    const counting = { ...dead, name: dead.name, listFlows: (r: never) => (calls++, dead.listFlows(r)) };
    const results = await runReportingFetch({ db: deps.db, logger, config: deps.config }, counting as typeof dead);
    // Every TEST or LIVE council of this database (at least the simulator's) was visited once.
    expect(Object.keys(results).length).toBeGreaterThanOrEqual(1);
    expect(calls).toBe(1);
    expect(Object.values(results).filter((r) => "skipped" in (r as object))).toHaveLength(
      Object.keys(results).length - 1,
    );
  });
});
