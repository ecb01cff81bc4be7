import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDeps } from "../test/support.ts";
import { makeTenant } from "../test/factories.ts";
import { startSimulatedPagopa } from "../test/harness/reconciliation/simulated-pagopa.ts";
import { AppError } from "../platform/errors.ts";
import { ingestReportingFlow } from "./ingest-reporting-flow.ts";
import type { ReportingFlowData, ReportingRowData } from "./reporting-document.ts";

describe("ingesting reporting flows: identity, revisions, matching and anomalies, per council", () => {
  const deps = testDeps();
  let pagopa: Awaited<ReturnType<typeof startSimulatedPagopa>>;
  let single: { nav: string; iuv: string; iur: string };
  let split: { nav: string; iuv: string; iur: string };

  beforeAll(async () => {
    pagopa = await startSimulatedPagopa(deps);
    const paid = async (amount: number, transfers: number) => {
      const nav = await pagopa.notice(amount, transfers);
      const { payment } = await pagopa.pay(nav);
      const option = await inTenant((tx) => tx.paymentOption.findFirstOrThrow({ where: { nav } }));
      return { nav, iuv: option.iuv, iur: payment.receiptId };
    };
    single = await paid(1500, 1);
    split = await paid(2000, 2);
  });
  afterAll(async () => {
    await pagopa.stop();
    await deps.close();
  });

  const inTenant = <T>(fn: Parameters<typeof deps.db.withTenant<T>>[1]) => deps.db.withTenant(pagopa.tenant.id, fn);
  const status = async (nav: string) =>
    (await inTenant((tx) => tx.paymentOption.findFirstOrThrow({ where: { nav } }))).status;
  const openAnomalies = () =>
    inTenant((tx) => tx.reconciliationAnomaly.findMany({ where: { resolvedAt: null }, orderBy: { subject: "asc" } }));
  const row = (
    p: { iuv: string; iur: string },
    transferIndex: number,
    amountCents: number,
  ): Omit<ReportingRowData, "position"> => ({
    iuv: p.iuv,
    iur: p.iur,
    transferIndex,
    amountCents,
    outcomeCode: 0,
    outcomeDate: "2026-12-01",
  });
  const flow = (
    revision: number,
    rows: Array<Omit<ReportingRowData, "position">>,
    over: Partial<ReportingFlowData> = {},
  ): ReportingFlowData => {
    const total = rows.reduce((s, r) => s + r.amountCents, 0);
    return {
      format: "FDR3",
      flowId: "2026-12-01BDPSIMIT-9",
      pspId: "BDPSIMIT",
      revision,
      flowDate: new Date("2026-12-01T22:00:00Z"),
      settlementId: `TRN-r${revision}`,
      settlementDate: "2026-12-02",
      receiverFiscalCode: pagopa.tenant.fiscalCode,
      declaredCount: rows.length,
      declaredTotalCents: total,
      rows: rows.map((r, i) => ({ ...r, position: i + 1 })),
      warnings: [],
      ...over,
    };
  };

  it("matches what squares, flags what does not, and keeps one flow per identity", async () => {
    const first = flow(1, [
      row(single, 1, 1500),
      row(split, 1, 999),
      row({ iuv: "99999999999999999", iur: "NOPE" }, 1, 500),
    ]);
    const stored = await ingestReportingFlow(deps.db, pagopa.tenant, first);
    expect(stored).toMatchObject({ status: "stored", matched: 1, superseded: false });
    expect(await status(single.nav)).toBe("REPORTED");
    expect(await status(split.nav)).toBe("PAID");
    expect((await openAnomalies()).map((a) => [a.kind, a.subject])).toEqual([
      ["AMOUNT_DIFFERS", "BDPSIMIT/2026-12-01BDPSIMIT-9/r1/2"],
      ["ROW_WITHOUT_RECEIPT", "BDPSIMIT/2026-12-01BDPSIMIT-9/r1/3"],
    ]);
    expect(await ingestReportingFlow(deps.db, pagopa.tenant, first)).toEqual({
      status: "duplicate",
      flowRecordId: stored.flowRecordId,
    });
    expect(await inTenant((tx) => tx.reportingFlow.count())).toBe(1);
  });

  it("a newer revision supersedes and closes the old findings; an older one arriving late changes nothing", async () => {
    const third = flow(3, [row(single, 1, 1500), row(split, 1, 1000), row(split, 2, 1000)]);
    expect(await ingestReportingFlow(deps.db, pagopa.tenant, third)).toMatchObject({ status: "stored", matched: 3 });
    expect([await status(single.nav), await status(split.nav)]).toEqual(["REPORTED", "REPORTED"]);
    expect(await openAnomalies()).toEqual([]);

    const late = await ingestReportingFlow(deps.db, pagopa.tenant, flow(2, [row(single, 1, 1500)]));
    expect(late).toMatchObject({ status: "stored", superseded: true });
    const current = await inTenant((tx) => tx.reportingFlow.findMany({ where: { supersededAt: null } }));
    expect(current.map((f) => f.revision)).toEqual([3]);
    expect([await status(single.nav), await status(split.nav)]).toEqual(["REPORTED", "REPORTED"]);
  });

  it("flags header totals that disagree with the rows and Stand-In outcomes, and refuses another creditor's flow", async () => {
    await ingestReportingFlow(
      deps.db,
      pagopa.tenant,
      flow(1, [{ ...row({ iuv: "88888888888888888", iur: "SI" }, 1, 700), outcomeCode: 8 }], {
        flowId: "2026-12-01BDPSIMIT-10",
        warnings: ["declared 2 payments for 1400 cents, rows are 1 for 700 cents"],
      }),
    );
    const kinds = (await openAnomalies()).map((a) => a.kind).sort();
    // Outcome 8 (Stand-In without RPT) has no receipt by nature: flagged as an outcome to check only.
    expect(kinds).toEqual(["FLOW_TOTALS_DIFFER", "OUTCOME_TO_CHECK"]);
    const err = await ingestReportingFlow(
      deps.db,
      pagopa.tenant,
      flow(1, [], { flowId: "X", receiverFiscalCode: "00000000000" }),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("REPORTING_FLOW_INVALID");
  });

  it("another council, and code outside any council's scope, see none of these flows", async () => {
    const other = await makeTenant(deps.db);
    expect(await deps.db.withTenant(other.id, (tx) => tx.reportingFlow.count())).toBe(0);
    expect(await deps.db.withTenant(other.id, (tx) => tx.reportingRow.count())).toBe(0);
    expect(await deps.db.withTenant(other.id, (tx) => tx.reconciliationAnomaly.count())).toBe(0);
    expect(await deps.db.client.reportingFlow.count()).toBe(0);
    expect(await inTenant((tx) => tx.reportingFlow.count())).toBeGreaterThan(0);
  });
});
