import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDeps } from "../../test/support.ts";
import { startSimulatedPagopa } from "../../test/harness/reconciliation/simulated-pagopa.ts";
import { createLogger } from "../../platform/observability/logger.ts";
import { createPspCounterClient } from "../../nodo/preproduction/index.ts";
import { makeTenant } from "../../test/factories.ts";
import {
  approvePreproductionRun,
  hasApprovedPreproductionRun,
  listPreproductionRuns,
  runPreproductionTests,
  startPreproductionRun,
} from "./index.ts";

const logger = createLogger({ level: "silent", role: "test" });
const admin = { type: "staff" as const, id: "admin-collaudo" };

describe("pre-production tests that verify themselves, through the simulator's PSP counter and our real station", () => {
  const deps = testDeps();
  let pagopa: Awaited<ReturnType<typeof startSimulatedPagopa>>;
  const nodo = () => createPspCounterClient({ baseUrl: pagopa.url, timeoutMs: 20_000 });
  const runNow = (tenantId: string) =>
    startPreproductionRun(deps.db, tenantId, admin, async ({ runId }) => {
      await runPreproductionTests(deps.db, nodo(), logger, runId, tenantId);
    });

  beforeAll(async () => {
    pagopa = await startSimulatedPagopa(deps);
    const t = pagopa.tenant;
    // A council in test is served by the broker's test station (the station refuses it otherwise),
    // not the one the simulator calls by default: the run must name it.
    const testStation = await deps.db.client.station.create({
      data: {
        intermediaryId: t.intermediaryId,
        code: `${pagopa.requester.stationCode.slice(0, 11)}_77`,
        environment: "TEST",
      },
    });
    await deps.db.client.tenant.update({ where: { id: t.id }, data: { status: "TEST", stationId: testStation.id } });
    await deps.db.withTenant(t.id, async (tx) => {
      await tx.creditorAccount.create({
        data: {
          tenantId: t.id,
          iban: "IT91Z0503411701000000004321",
          holder: t.name,
          effectiveFrom: new Date("2026-01-01"),
        },
      });
      await tx.paymentType.create({
        data: { tenantId: t.id, code: "MENSA", name: "Mensa", taxonomyCode: "9/0101100IM/" },
      });
    });
  });
  afterAll(async () => {
    await pagopa.stop();
    await deps.close();
  });

  it("passes every step and records the Nodo's messages and what PontePA stored as evidence", async () => {
    const { runId } = await runNow(pagopa.tenant.id);
    const [run] = await listPreproductionRuns(deps.db, pagopa.tenant.id);
    expect(run!.id).toBe(runId);
    expect(run!.steps.filter((s) => !s.ok)).toEqual([]);
    expect(run!.state).toBe("PASSED");
    expect(run!.stationCode).toBe(`${pagopa.requester.stationCode.slice(0, 11)}_77`);
    expect(run!.steps.map((s) => s.key)).toEqual([
      "unknown",
      "verify",
      "payment",
      "duplicate",
      "cancelled",
      "expired",
      "multi-beneficiary",
    ]);
    const byKey = Object.fromEntries(run!.steps.map((s) => [s.key, s]));
    expect(byKey.unknown!.exchanges).toEqual([
      expect.objectContaining({ operation: "paVerifyPaymentNotice", outcome: "PAA_PAGAMENTO_SCONOSCIUTO" }),
    ]);
    expect(byKey.payment!.exchanges.map((e) => `${e.operation}:${e.outcome}`)).toEqual([
      "paVerifyPaymentNotice:OK",
      "paGetPaymentV2:OK",
      "paSendRTV2:OK",
    ]);
    expect(byKey.cancelled!.exchanges[0]!.outcome).toBe("PAA_PAGAMENTO_ANNULLATO");
    expect(byKey.expired!.exchanges[0]!.outcome).toBe("PAA_PAGAMENTO_SCADUTO");
    // What the report claims is what the database holds: the paid notice and a two-transfer receipt.
    const receipts = await deps.db.withTenant(pagopa.tenant.id, (tx) =>
      tx.receipt.findMany({
        where: { tenantId: pagopa.tenant.id, nav: { in: [byKey.payment!.nav!, byKey["multi-beneficiary"]!.nav!] } },
      }),
    );
    expect(receipts.map((r) => (r.transfers as unknown[]).length).sort()).toEqual([1, 2]);

    expect(await hasApprovedPreproductionRun(deps.db, pagopa.tenant.id)).toBe(false);
    await approvePreproductionRun(deps.db, pagopa.tenant.id, runId, admin);
    expect(await hasApprovedPreproductionRun(deps.db, pagopa.tenant.id)).toBe(true);
    const audit = await deps.db.withTenant(pagopa.tenant.id, (tx) =>
      tx.auditLog.findMany({ where: { tenantId: pagopa.tenant.id, entityId: runId }, orderBy: { at: "asc" } }),
    );
    expect(audit.map((a) => a.action)).toEqual(["tenant.preproduction-run", "tenant.preproduction-approved"]);
  }, 60_000);

  it("fails the step whose payment the Nodo could not complete, runs the others, and cannot be approved", async () => {
    // The Nodo gives up on the next payment's verify after 1 ms: the station "did not answer".
    await fetch(`${pagopa.url}/admin/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ verifyTimeoutMs: 1, times: 1 }),
    });
    const { runId } = await runNow(pagopa.tenant.id);
    const [run] = await listPreproductionRuns(deps.db, pagopa.tenant.id);
    expect(run!.id).toBe(runId);
    expect(run!.state).toBe("FAILED");
    const payment = run!.steps.find((s) => s.key === "payment")!;
    expect(payment.ok).toBe(false);
    expect(payment.outcome).toMatch(/PPT_STAZIONE_INT_PA_TIMEOUT/);
    expect(run!.steps.find((s) => s.key === "cancelled")!.ok).toBe(true);
    await expect(approvePreproductionRun(deps.db, pagopa.tenant.id, runId, admin)).rejects.toMatchObject({
      code: "PREPRODUCTION_NOT_PASSED",
    });
  }, 60_000);

  it("refuses a second run while one is queued, and a council not in test", async () => {
    await startPreproductionRun(deps.db, pagopa.tenant.id, admin, async () => undefined);
    await expect(startPreproductionRun(deps.db, pagopa.tenant.id, admin, async () => undefined)).rejects.toMatchObject({
      code: "PREPRODUCTION_RUN_ACTIVE",
    });
    const live = await makeTenant(deps.db, { status: "LIVE" });
    await expect(startPreproductionRun(deps.db, live.id, admin, async () => undefined)).rejects.toMatchObject({
      code: "PREPRODUCTION_NOT_IN_TEST",
    });
  });

  it("names what is missing when the council has no payment type in force", async () => {
    const bare = await makeTenant(deps.db, { status: "TEST" });
    await startPreproductionRun(deps.db, bare.id, admin, async ({ runId }) => {
      await runPreproductionTests(deps.db, nodo(), logger, runId, bare.id);
    });
    const [run] = await listPreproductionRuns(deps.db, bare.id);
    expect(run!.state).toBe("FAILED");
    expect(run!.steps).toEqual([
      expect.objectContaining({
        key: "prerequisites",
        ok: false,
        outcome: expect.stringMatching(/conto di accredito/),
      }),
    ]);
  });
});
