import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDeps } from "../test/support.ts";
import { makeTenant } from "../test/factories.ts";
import { classificationFixture } from "../test/harness/reconciliation/classification-fixture.ts";
import { importTreasuryFile } from "../treasury/index.ts";
import type { Tenant } from "../generated/prisma/client.ts";
import { classifyPayments } from "./classify-payments.ts";
import { ingestReportingFlow } from "./ingest-reporting-flow.ts";
import { reconcilePending } from "./reconcile-pending.ts";

/**
 * One payment (or flow, or credit) per MyPivot code, reached through the real use cases
 * (flow ingest, treasury import, the scheduled pending run), then late arrivals.
 */
describe("classification of payments along debt, receipt, flow and treasury", () => {
  const deps = testDeps();
  let t: Tenant;
  let fx: ReturnType<typeof classificationFixture>;
  const iuv: Record<string, string> = {};
  const rt: Record<string, { iuv: string; iur: string; amountCents: number }> = {};
  let unknownFlowCredit = "";

  const codes = async () => {
    const rows = await deps.db.withTenant(t.id, (tx) =>
      tx.paymentClassification.findMany({
        select: { subjectKind: true, subject: true, code: true, classifiedAt: true },
      }),
    );
    return new Map(rows.map((r) => [`${r.subjectKind}:${r.subject}`, r]));
  };
  const codeOf = async (key: string) => (await codes()).get(key)?.code;

  beforeAll(async () => {
    t = await makeTenant(deps.db, { name: "Comune di Classificazione" });
    fx = classificationFixture(deps.db, t);
    iuv.complete = await fx.debt(1000);
    rt.complete = await fx.receipt(iuv.complete, 1000);
    rt.noDebtComplete = await fx.receipt("09000000000000001", 500);
    iuv.noCredit = await fx.debt(700);
    rt.noCredit = await fx.receipt(iuv.noCredit, 700);
    rt.noDebtNoCredit = await fx.receipt("09000000000000002", 300);
    iuv.wrongCredit = await fx.debt(900);
    rt.wrongCredit = await fx.receipt(iuv.wrongCredit, 900);
    iuv.unreported = await fx.debt(1200);
    rt.unreported = await fx.receipt(iuv.unreported, 1200);
    rt.noDebtUnreported = await fx.receipt("09000000000000003", 400);
    iuv.paidWithoutReceipt = await fx.debt(800, { paid: true });
    iuv.rowWithoutReceipt = "09000000000000004";

    await ingestReportingFlow(deps.db, t, fx.flow("2026-11-21BDPSIMIT-F1", [rt.complete!, rt.noDebtComplete!]));
    await ingestReportingFlow(deps.db, t, fx.flow("2026-11-21BDPSIMIT-F2", [rt.noCredit!, rt.noDebtNoCredit!]));
    await ingestReportingFlow(
      deps.db,
      t,
      fx.flow("2026-11-21BDPSIMIT-F3", [
        rt.wrongCredit!,
        { iuv: iuv.rowWithoutReceipt, iur: "IURLATE", amountCents: 600 },
      ]),
    );
    await importTreasuryFile(deps.db, t.id, {
      fileName: "giornale.csv",
      bytes: fx.journal([
        [1500, fx.credit("2026-11-21BDPSIMIT-F1")],
        [1400, fx.credit("2026-11-21BDPSIMIT-F3")],
        [2500, "BONIFICO SENZA RIFERIMENTO"],
        [3100, fx.credit("2026-11-21BDPSIMIT-NONE")],
      ]),
    });
    unknownFlowCredit = (
      await deps.db.withTenant(t.id, (tx) =>
        tx.treasuryCredit.findFirstOrThrow({ where: { flowId: "2026-11-21BDPSIMIT-NONE" } }),
      )
    ).id;
    // The receipts and the paid debt that no flow or credit touched come in through the schedule.
    await reconcilePending(deps.db, t, { unreportedDays: 30 });
  }, 60_000);
  afterAll(async () => {
    await deps.close();
  });

  it("gives every payment, flow and credit its code", async () => {
    const all = await codes();
    const credit = await deps.db.withTenant(t.id, (tx) =>
      tx.treasuryCredit.findFirstOrThrow({ where: { flowId: null } }),
    );
    expect(all.get(`PAYMENT:${iuv.complete}`)?.code).toBe("IUD_RT_IUF_TES");
    expect(all.get(`PAYMENT:${rt.noDebtComplete!.iuv}`)?.code).toBe("RT_IUF_TES");
    expect(all.get(`PAYMENT:${iuv.noCredit}`)?.code).toBe("IUD_RT_IUF");
    expect(all.get(`PAYMENT:${rt.noDebtNoCredit!.iuv}`)?.code).toBe("RT_IUF");
    expect(all.get(`PAYMENT:${iuv.wrongCredit}`)?.code).toBe("IUF_TES_DIV_IMP");
    expect(all.get(`PAYMENT:${iuv.unreported}`)?.code).toBe("RT_NO_IUF");
    expect(all.get(`PAYMENT:${rt.noDebtUnreported!.iuv}`)?.code).toBe("RT_NO_IUD");
    expect(all.get(`PAYMENT:${iuv.rowWithoutReceipt}`)?.code).toBe("IUV_NO_RT");
    expect(all.get(`PAYMENT:${iuv.paidWithoutReceipt}`)?.code).toBe("IUD_NO_RT");
    expect(all.get("FLOW:2026-11-21BDPSIMIT-F2")?.code).toBe("IUF_NO_TES");
    expect(all.get("FLOW:2026-11-21BDPSIMIT-F1")).toBeUndefined();
    expect(all.get(`CREDIT:${credit.id}`)?.code).toBe("TES_NO_MATCH");
    expect(all.get(`CREDIT:${unknownFlowCredit}`)?.code).toBe("TES_NO_IUF_OR_IUV");
  });

  it("recomputes only what a late flow, credit or receipt touches", async () => {
    const before = await codes();
    // The unreported receipt's flow arrives, then its credit.
    await ingestReportingFlow(deps.db, t, fx.flow("2026-11-21BDPSIMIT-F4", [rt.unreported!]));
    expect(await codeOf(`PAYMENT:${iuv.unreported}`)).toBe("IUD_RT_IUF");
    expect(await codeOf("FLOW:2026-11-21BDPSIMIT-F4")).toBe("IUF_NO_TES");
    const afterFlow = await codes();
    expect(afterFlow.get(`PAYMENT:${iuv.complete}`)?.classifiedAt).toEqual(
      before.get(`PAYMENT:${iuv.complete}`)?.classifiedAt,
    );

    await importTreasuryFile(deps.db, t.id, {
      fileName: "giornale-2.csv",
      bytes: fx.journal([[1200, fx.credit("2026-11-21BDPSIMIT-F4")]]),
    });
    expect(await codeOf(`PAYMENT:${iuv.unreported}`)).toBe("IUD_RT_IUF_TES");
    expect(await codeOf("FLOW:2026-11-21BDPSIMIT-F4")).toBeUndefined();

    // The receipt of the row reported without one arrives after its flow.
    await fx.receipt(iuv.rowWithoutReceipt!, 600, { receiptId: "IURLATE" });
    await reconcilePending(deps.db, t, { unreportedDays: 30 });
    // F3's credit still differs from its total: the payment is reported but the amounts differ.
    expect(await codeOf(`PAYMENT:${iuv.rowWithoutReceipt}`)).toBe("IUF_TES_DIV_IMP");
    const final = await codes();
    expect(final.get(`PAYMENT:${rt.noDebtNoCredit!.iuv}`)?.classifiedAt).toEqual(
      before.get(`PAYMENT:${rt.noDebtNoCredit!.iuv}`)?.classifiedAt,
    );
  });

  it("classifying from scratch gives what the incremental runs gave", async () => {
    const incremental = [...(await codes()).entries()].map(([k, v]) => [k, v.code]).sort();
    await deps.db.withTenant(t.id, (tx) => classifyPayments(tx, t.id, { all: true }));
    const scratch = [...(await codes()).entries()].map(([k, v]) => [k, v.code]).sort();
    expect(scratch).toEqual(incremental);
  });
});
