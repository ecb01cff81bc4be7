import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDeps } from "../test/support.ts";
import { startSimulatedPagopa } from "../test/harness/reconciliation/simulated-pagopa.ts";
import { createLogger } from "../platform/observability/logger.ts";
import { createFdr3Client } from "../nodo/reporting/fdr3-client.ts";
import { runReportingFetch } from "../nodo/reporting/fetch-reporting-flows.job.ts";
import { createBizEventsClient, runReceiptRecoveryJob } from "../nodo/bizevents/index.ts";
import { createAcaClient, runAcaSync, setAcaEnabled } from "../nodo/aca/index.ts";
import { importTreasuryFile } from "../treasury/index.ts";
import type { ReceiptRegisteredEvent } from "../positions/index.ts";
import type { RecoverySummary } from "../receipt-recovery/index.ts";
import { classifyPayments } from "./index.ts";

const logger = createLogger({ level: "silent", role: "test" });
const actor = { type: "system" as const, id: "month-test" };

/** Eight payment days of a simulated month (November 2026), two ordinary payments each. */
const DAYS = [
  "2026-11-02",
  "2026-11-05",
  "2026-11-09",
  "2026-11-12",
  "2026-11-16",
  "2026-11-19",
  "2026-11-23",
  "2026-11-26",
];
const DUPLICATE_DAY = 1;
const LOST_DAY = 2;
const STAND_IN_DAY = 3;
const REVISED_DAY = 4;
const NO_CREDIT_DAY = 5;
const WRONG_AMOUNT_DAY = 6;

/**
 * Issue 16's first check: a month collected by the simulator (Checkout's PSP counter through our
 * real station, with a duplicated sendRT, a lost receipt and a Stand-In payment served from the
 * ACA archive), flows published day by day (one then revised), a treasury journal with one credit
 * missing and one wrong amount; PontePA fetches the flows, recovers the lost receipt, imports the
 * journal and classifies. Every payment ends with its expected code, the daily totals equal the
 * simulator's, the recovered receipt had the delivered ones' follow-ups, and a from-scratch
 * classification agrees with the incremental one.
 */
describe("a month of payments, end to end: collected, reported, recovered, credited, classified", () => {
  const deps = testDeps({ RECONCILIATION_UNREPORTED_DAYS: "60", RECEIPT_RECOVERY_AFTER_MINUTES: "60" });
  let pagopa: Awaited<ReturnType<typeof startSimulatedPagopa>>;
  const followUps: ReceiptRegisteredEvent[] = [];

  beforeAll(async () => {
    pagopa = await startSimulatedPagopa(deps);
  });
  afterAll(async () => {
    await pagopa?.stop();
    await deps.close();
  });

  const inTenant = <T>(fn: Parameters<typeof deps.db.withTenant<T>>[1]) => deps.db.withTenant(pagopa.tenant.id, fn);
  const iuvOf = async (nav: string) =>
    (await inTenant((tx) => tx.paymentOption.findFirstOrThrow({ where: { nav } }))).iuv;
  const fetchFlows = () =>
    runReportingFetch(
      { db: deps.db, logger, config: deps.config },
      createFdr3Client({ baseUrl: `${pagopa.url}/fdr`, timeoutMs: 5_000, retries: 1 }, logger),
      { ipa: pagopa.tenant.ipaCode },
    ) as Promise<Record<string, { stored: number; failed: unknown[] }>>;

  it(
    "every payment ends with its expected code and the daily totals equal the simulator's",
    { timeout: 180_000 },
    async () => {
      const store = pagopa.sim.ctx.store;
      const expected = new Map<string, string>(); // nav → code
      const navsOf: string[][] = DAYS.map(() => []);

      // The council keeps pagoPA's ACA archive aligned, so the Stand-In payment is served from it.
      await setAcaEnabled(deps.db, pagopa.tenant.id, true, actor);
      const aca = createAcaClient({ baseUrl: `${pagopa.url}/aca/debt-positions-service/v1`, timeoutMs: 5_000 });

      for (const [d, day] of DAYS.entries()) {
        store.now = () => new Date(`${day}T09:${String(10 + d).padStart(2, "0")}:00Z`);
        for (let k = 0; k < 2; k++) {
          const nav = await pagopa.notice(1_000 + d * 100 + k * 10);
          expect((await pagopa.pay(nav)).ok).toBe(true);
          navsOf[d]!.push(nav);
        }
        if (d === DUPLICATE_DAY) {
          const nav = await pagopa.notice(2_500);
          expect((await pagopa.pay(nav, { receiptRetries: 1 })).ok).toBe(true);
          navsOf[d]!.push(nav);
        }
        if (d === LOST_DAY) {
          const nav = await pagopa.notice(3_300);
          expect((await pagopa.pay(nav, { lostReceipt: true })).ok).toBe(true);
          navsOf[d]!.push(nav);
        }
        if (d === STAND_IN_DAY) {
          const nav = await pagopa.notice(4_700);
          expect(await runAcaSync(deps.db, aca, logger, { tenantIds: [pagopa.tenant.id] })).toMatchObject({
            failed: 0,
          });
          const paid = (await (
            await fetch(`${pagopa.url}/psp/pay`, {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: JSON.stringify({
                fiscalCode: pagopa.tenant.fiscalCode,
                noticeNumber: nav,
                faults: { standIn: true },
              }),
            })
          ).json()) as { ok: boolean; steps: Array<{ operation: string }> };
          expect(paid.ok).toBe(true);
          expect(paid.steps.map((s) => s.operation)).toEqual(["paSendRTV2"]); // the station was never asked
          navsOf[d]!.push(nav);
        }
      }
      const lostNav = navsOf[LOST_DAY]![2]!;
      const duplicateNav = navsOf[DUPLICATE_DAY]![2]!;
      const standInNav = navsOf[STAND_IN_DAY]![2]!;
      expect(await inTenant((tx) => tx.receipt.count({ where: { nav: lostNav } }))).toBe(0);
      expect(await inTenant((tx) => tx.receipt.count({ where: { nav: duplicateNav } }))).toBe(1);
      expect((await inTenant((tx) => tx.receipt.findFirstOrThrow({ where: { nav: standInNav } }))).standIn).toBe(true);

      // The PSP publishes a flow per day; PontePA fetches them; then one flow is revised.
      for (const day of DAYS) expect((await pagopa.publishFlows(day)).length).toBe(1);
      const first = (await fetchFlows())[pagopa.tenant.ipaCode]!;
      expect(first).toMatchObject({ stored: DAYS.length, failed: [] });
      const revisedFlow = store.flows.find((f) => f.date === DAYS[REVISED_DAY])!;
      const droppedNav = navsOf[REVISED_DAY]![1]!;
      const revise = await fetch(`${pagopa.url}/admin/fdr/revise`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ flowId: revisedFlow.flowId, dropIuvs: [await iuvOf(droppedNav)] }),
      });
      expect(revise.status).toBe(200);
      expect((await fetchFlows())[pagopa.tenant.ipaCode]).toMatchObject({ stored: 1, failed: [] });

      // The lost receipt: its flow row has no receipt; the recovery fetches it from biz-events.
      const recovered = (await runReceiptRecoveryJob(
        { db: deps.db, logger, config: deps.config },
        createBizEventsClient({ baseUrl: `${pagopa.url}/bizevents/service/v1`, timeoutMs: 5_000 }),
        async (e) => {
          followUps.push(e);
        },
        { ipa: pagopa.tenant.ipaCode, now: new Date(Date.now() + 2 * 3_600_000).toISOString() },
      )) as RecoverySummary;
      expect(recovered.RECOVERED).toBe(1);

      // The treasurer's journal: one credit per flow, minus one, and one with a wrong amount.
      const csv = await (await fetch(`${pagopa.url}/admin/treasury/${pagopa.tenant.fiscalCode}.csv`)).text();
      const flowOf = (d: number) => store.flows.find((f) => f.date === DAYS[d])!.flowId;
      const lines = csv
        .trimEnd()
        .split("\n")
        .filter((l) => !l.includes(flowOf(NO_CREDIT_DAY)))
        .map((l) => {
          if (!l.includes(flowOf(WRONG_AMOUNT_DAY))) return l;
          const cells = l.split(";");
          const cents = Number(cells[1]) + 100;
          cells[1] = String(cents);
          cells[2] = (cents / 100).toFixed(2).replace(".", ",");
          return cells.join(";");
        });
      expect(lines).toHaveLength(DAYS.length); // header + 7 credits
      const imported = await importTreasuryFile(deps.db, pagopa.tenant.id, {
        fileName: "giornale-novembre.csv",
        bytes: Buffer.from(`${lines.join("\n")}\n`),
      });
      expect(imported).toMatchObject({ credits: DAYS.length - 1 });

      // The scheduled run classifies what the SOAP receipts brought in since.
      expect((await fetchFlows())[pagopa.tenant.ipaCode]).toMatchObject({ failed: [] });

      for (const [d, navs] of navsOf.entries())
        for (const nav of navs)
          expected.set(
            nav,
            d === NO_CREDIT_DAY ? "IUD_RT_IUF" : d === WRONG_AMOUNT_DAY ? "IUF_TES_DIV_IMP" : "IUD_RT_IUF_TES",
          );
      expected.set(droppedNav, "RT_NO_IUF");

      const codesByNav = async () => {
        const rows = await inTenant(
          (tx) =>
            tx.$queryRaw<Array<{ nav: string; code: string }>>`
          SELECT o.nav, c.code FROM payment_classifications c
          JOIN payment_options o ON o.tenant_id = c.tenant_id AND o.id = c.option_id
          WHERE c.tenant_id = ${pagopa.tenant.id}::uuid AND c.subject_kind = 'PAYMENT'`,
        );
        return new Map(rows.map((r) => [r.nav, r.code]));
      };
      const incremental = await codesByNav();
      expect(Object.fromEntries(incremental)).toEqual(Object.fromEntries(expected));
      const flowCodes = await inTenant((tx) =>
        tx.paymentClassification.findMany({
          where: { subjectKind: { not: "PAYMENT" } },
          select: { code: true, subject: true },
        }),
      );
      expect(flowCodes).toEqual([{ code: "IUF_NO_TES", subject: flowOf(NO_CREDIT_DAY) }]);

      // The daily totals equal what the simulator collected each day.
      const simulatorDays: Record<string, number> = {};
      for (const p of store.payments)
        simulatorDays[p.paidAt.slice(0, 10)] = (simulatorDays[p.paidAt.slice(0, 10)] ?? 0) + p.amountCents;
      const ours = await inTenant(
        (tx) =>
          tx.$queryRaw<Array<{ day: string; total: number }>>`
        SELECT to_char(day, 'YYYY-MM-DD') AS day, sum(amount_cents)::int AS total FROM payment_classifications
        WHERE tenant_id = ${pagopa.tenant.id}::uuid AND subject_kind = 'PAYMENT' GROUP BY day ORDER BY day`,
      );
      expect(Object.fromEntries(ours.map((r) => [r.day, r.total]))).toEqual(simulatorDays);

      // The recovered receipt had the delivered ones' follow-ups: the same outbox events, the job's event.
      const eventsOf = async (nav: string) => {
        const option = await inTenant((tx) => tx.paymentOption.findFirstOrThrow({ where: { nav } }));
        const events = await inTenant((tx) => tx.outboxEvent.findMany({ where: { positionId: option.positionId } }));
        return [...new Set(events.map((e) => e.type))].sort();
      };
      expect(await eventsOf(lostNav)).toEqual(await eventsOf(navsOf[LOST_DAY]![0]!));
      expect(await eventsOf(lostNav)).toContain("receipt.stored");
      const lostReceipt = await inTenant((tx) => tx.receipt.findFirstOrThrow({ where: { nav: lostNav } }));
      expect(followUps.map((f) => f.receiptId)).toEqual([lostReceipt.receiptId]);

      // From scratch, the same codes.
      await inTenant((tx) => classifyPayments(tx, pagopa.tenant.id, { all: true }));
      expect(Object.fromEntries(await codesByNav())).toEqual(Object.fromEntries(incremental));
    },
  );
});
