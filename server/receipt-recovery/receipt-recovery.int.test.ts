import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDeps } from "../test/support.ts";
import { startSimulatedPagopa } from "../test/harness/reconciliation/simulated-pagopa.ts";
import { SPECS_DIR } from "../test/harness/reconciliation/real-world.ts";
import { getPaymentXml, sendRTXml } from "../test/harness/nodo/soap-requests.ts";
import { post } from "../test/harness/nodo/station-harness.ts";
import { createLogger } from "../platform/observability/logger.ts";
import { createFdr3Client } from "../nodo/reporting/fdr3-client.ts";
import { runReportingFetch } from "../nodo/reporting/fetch-reporting-flows.job.ts";
import { createBizEventsClient, runReceiptRecoveryJob } from "../nodo/bizevents/index.ts";
import type { ReceiptRegisteredEvent } from "../positions/index.ts";
import type { RecoverySummary } from "./index.ts";

const logger = createLogger({ level: "silent", role: "test" });
const BIZ_SPEC = path.join(SPECS_DIR, "openapi/biz_events.json");

describe("self-healing receipts: lost by the Nodo, recovered from biz-events, stored once", () => {
  const deps = testDeps({ RECEIPT_RECOVERY_MAX_ATTEMPTS: "2", RECEIPT_RECOVERY_AFTER_MINUTES: "60" });
  let pagopa: Awaited<ReturnType<typeof startSimulatedPagopa>>;
  const followUps: ReceiptRegisteredEvent[] = [];
  const bizUrl = () => `${pagopa.url}/bizevents/service/v1`;

  beforeAll(async () => {
    pagopa = await startSimulatedPagopa(deps);
  });
  afterAll(async () => {
    await pagopa?.stop();
    await deps.close();
  });

  const inTenant = <T>(fn: Parameters<typeof deps.db.withTenant<T>>[1]) => deps.db.withTenant(pagopa.tenant.id, fn);
  const later = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
  const recover = (now?: string, archive = createBizEventsClient({ baseUrl: bizUrl(), timeoutMs: 5_000 })) =>
    runReceiptRecoveryJob(
      { db: deps.db, logger, config: deps.config },
      archive,
      async (e) => {
        followUps.push(e);
      },
      { ipa: pagopa.tenant.ipaCode, ...(now ? { now } : {}) },
    ) as Promise<RecoverySummary>;
  const counts = (receiptId: string, positionId: string) =>
    inTenant(async (tx) => ({
      receipts: await tx.receipt.count({ where: { receiptId } }),
      stored: await tx.outboxEvent.count({
        where: { type: "receipt.stored", payload: { path: ["data", "receiptId"], equals: receiptId } },
      }),
      paid: await tx.outboxEvent.count({ where: { type: "position.paid", positionId } }),
      followUps: followUps.filter((f) => f.receiptId === receiptId).length,
    }));
  const routing = () => ({
    idPA: pagopa.tenant.fiscalCode,
    idBrokerPA: pagopa.requester.intermediaryFiscalCode,
    idStation: pagopa.requester.stationCode,
  });

  it("an activation whose receipt never came is recovered after the delay, once; a late sendRT is a duplicate", async () => {
    const nav = await pagopa.notice(1500);
    const paid = await pagopa.pay(nav, { lostReceipt: true });
    expect(paid.ok).toBe(true);
    const receiptId = paid.payment.receiptId;
    const option = await inTenant((tx) => tx.paymentOption.findFirstOrThrow({ where: { nav } }));
    expect([option.status, option.paymentToken]).toEqual(["UNPAID", receiptId]);

    // Not yet: the activation is younger than RECEIPT_RECOVERY_AFTER_MINUTES.
    expect(await recover()).toMatchObject({ opened: 0, RECOVERED: 0 });

    const run = await recover(later(61));
    expect(run).toMatchObject({ opened: 1, RECOVERED: 1 });
    const after = await inTenant((tx) => tx.paymentOption.findFirstOrThrow({ where: { nav } }));
    expect(after.status).toBe("PAID");
    const stored = await inTenant((tx) => tx.receipt.findFirstOrThrow({ where: { receiptId } }));
    expect([stored.amountCents, stored.feeCents, stored.pspId, stored.iuv]).toEqual([
      1500,
      200, // the simulated PSP's fee (Tabaccheria Demo)
      "TABSIMIT",
      option.iuv,
    ]);
    expect(await counts(receiptId, option.positionId)).toEqual({ receipts: 1, stored: 1, paid: 1, followUps: 1 });

    // The Nodo delivers it after all: refused as a duplicate, nothing written twice.
    const late = await post(
      pagopa.sim.ctx.config.NODO_SIM_STATION_URL,
      sendRTXml(routing(), {
        receiptId,
        nav,
        fiscalCode: pagopa.tenant.fiscalCode,
        iuv: option.iuv,
        amount: "15.00",
        transfers: [
          {
            idTransfer: 1,
            amount: "15.00",
            fiscalCodePA: pagopa.tenant.fiscalCode,
            iban: "IT60X0542811101000000123456",
            remittance: "Quota 1",
            category: "9/0101002IM/",
          },
        ],
      }),
    );
    expect(late.faultCode).toBe("PAA_RECEIPT_DUPLICATA");
    // Another run finds nothing to do.
    expect(await recover(later(120))).toMatchObject({ opened: 0, RECOVERED: 0 });
    const final = await counts(receiptId, option.positionId);
    expect([final.receipts, final.stored, final.paid]).toEqual([1, 1, 1]);
    const recovery = await inTenant((tx) => tx.receiptRecovery.findFirstOrThrow({ where: { iur: receiptId } }));
    expect([recovery.source, recovery.status, recovery.attempts]).toEqual(["ACTIVATION", "RECOVERED", 1]);
  });

  it("a receipt delivered late by the Nodo before the lookup closes the recovery without asking pagoPA", async () => {
    const nav = await pagopa.notice(800);
    const token = `LATE${Date.now()}`;
    expect(
      (await post(pagopa.sim.ctx.config.NODO_SIM_STATION_URL, getPaymentXml(routing(), nav, { token }))).outcome,
    ).toBe("OK");
    const option = await inTenant((tx) => tx.paymentOption.findFirstOrThrow({ where: { nav } }));
    const before = (await (await fetch(`${pagopa.url}/admin/bizevents`)).json()) as { lookups: number };
    // Activated two hours ago, then the Nodo delivers the receipt late, before any run looked.
    await inTenant(
      (tx) =>
        tx.$executeRaw`UPDATE payment_options SET locked_until = now() - interval '2 hours' WHERE id = ${option.id}::uuid`,
    );
    const late = await post(
      pagopa.sim.ctx.config.NODO_SIM_STATION_URL,
      sendRTXml(routing(), {
        receiptId: token,
        nav,
        fiscalCode: pagopa.tenant.fiscalCode,
        iuv: option.iuv,
        amount: "8.00",
        transfers: [
          {
            idTransfer: 1,
            amount: "8.00",
            fiscalCodePA: pagopa.tenant.fiscalCode,
            iban: "IT60X0542811101000000123456",
            remittance: "Quota 1",
            category: "9/0101002IM/",
          },
        ],
      }),
    );
    expect(late.outcome).toBe("OK");
    expect(await recover()).toMatchObject({ opened: 0 });
    const after = (await (await fetch(`${pagopa.url}/admin/bizevents`)).json()) as { lookups: number };
    expect(after.lookups).toBe(before.lookups);
  });

  it("a receipt pagoPA does not have either: backed off, then a RECEIPT_NOT_RECOVERED anomaly for a person", async () => {
    const nav = await pagopa.notice(1200);
    const token = `NOPE${Date.now()}`;
    expect(
      (await post(pagopa.sim.ctx.config.NODO_SIM_STATION_URL, getPaymentXml(routing(), nav, { token }))).outcome,
    ).toBe("OK");
    const first = await recover(later(61));
    expect(first).toMatchObject({ opened: 1, NOT_FOUND: 1 });
    const pending = await inTenant((tx) => tx.receiptRecovery.findFirstOrThrow({ where: { iur: token } }));
    expect([pending.status, pending.attempts]).toEqual(["PENDING", 1]);
    // Backed off: 5 minutes later it is not due yet, 6 minutes later it is.
    expect(pending.nextAttemptAt.getTime() - new Date(later(61)).getTime()).toBeGreaterThan(4 * 60_000);
    expect(await recover(later(62))).toMatchObject({ NOT_FOUND: 0, FAILED: 0 });
    expect(await recover(later(68))).toMatchObject({ FAILED: 1 });
    const failed = await inTenant((tx) => tx.receiptRecovery.findFirstOrThrow({ where: { iur: token } }));
    expect([failed.status, failed.attempts, failed.lastError]).toEqual(["FAILED", 2, "pagoPA has no such receipt"]);
    const anomaly = await inTenant((tx) =>
      tx.reconciliationAnomaly.findFirstOrThrow({ where: { kind: "RECEIPT_NOT_RECOVERED", receiptId: token } }),
    );
    expect([anomaly.iuv, anomaly.resolvedAt]).toEqual([failed.iuv, null]);
    expect(await recover(later(600))).toMatchObject({ FAILED: 0, NOT_FOUND: 0 });
  });

  it("a reporting-flow row without receipt is recovered at once, matched, its anomaly closed and the option REPORTED", async () => {
    const nav = await pagopa.notice(2000, 2);
    const paid = await pagopa.pay(nav, { lostReceipt: true });
    expect(paid.ok).toBe(true);
    await pagopa.publishFlows();
    const rest = createFdr3Client({ baseUrl: `${pagopa.url}/fdr`, timeoutMs: 5_000, retries: 1 }, logger);
    await runReportingFetch({ db: deps.db, logger, config: deps.config }, rest, { ipa: pagopa.tenant.ipaCode });
    const open = await inTenant((tx) =>
      tx.reconciliationAnomaly.findMany({
        where: { kind: "ROW_WITHOUT_RECEIPT", receiptId: paid.payment.receiptId, resolvedAt: null },
      }),
    );
    expect(open).toHaveLength(2); // one per transfer

    // No delay for a row: pagoPA already settled it.
    const run = await recover();
    expect(run).toMatchObject({ opened: 1, RECOVERED: 1 });
    const option = await inTenant((tx) =>
      tx.paymentOption.findFirstOrThrow({ where: { nav }, include: { position: true } }),
    );
    expect([option.status, option.position.status]).toEqual(["REPORTED", "REPORTED"]);
    const still = await inTenant((tx) =>
      tx.reconciliationAnomaly.count({ where: { receiptId: paid.payment.receiptId, resolvedAt: null } }),
    );
    expect(still).toBe(0);
    const recovery = await inTenant((tx) =>
      tx.receiptRecovery.findFirstOrThrow({ where: { iur: paid.payment.receiptId } }),
    );
    expect(recovery.source).toBe("FLOW_ROW");
  });

  it("pagoPA's archive down: the run stops without counting attempts; the circuit opens after repeated failures", async () => {
    const nav = await pagopa.notice(600);
    const paid = await pagopa.pay(nav, { lostReceipt: true });
    await fetch(`${pagopa.url}/admin/bizevents?down=true`, { method: "POST" });
    try {
      const archive = createBizEventsClient({ baseUrl: bizUrl(), timeoutMs: 5_000, breakerFailures: 2 });
      const run = await recover(later(61), archive);
      expect(run.stopped).toMatch(/503/);
      const r = await inTenant((tx) => tx.receiptRecovery.findFirstOrThrow({ where: { iur: paid.payment.receiptId } }));
      expect([r.status, r.attempts]).toEqual(["PENDING", 0]);
      await expect(
        archive.find({ organizationFiscalCode: pagopa.tenant.fiscalCode, iuv: r.iuv, iur: r.iur }),
      ).rejects.toMatchObject({
        code: "BIZEVENTS_UNAVAILABLE",
      });
      const before = (await (await fetch(`${pagopa.url}/admin/bizevents`)).json()) as { lookups: number };
      await expect(
        archive.find({ organizationFiscalCode: pagopa.tenant.fiscalCode, iuv: r.iuv, iur: r.iur }),
      ).rejects.toThrow(/circuit open/);
      const after = (await (await fetch(`${pagopa.url}/admin/bizevents`)).json()) as { lookups: number };
      expect(after.lookups).toBe(before.lookups);
    } finally {
      await fetch(`${pagopa.url}/admin/bizevents?down=false`, { method: "POST" });
    }
    expect(await recover(later(61))).toMatchObject({ RECOVERED: 1 });
  });

  it.skipIf(!existsSync(BIZ_SPEC))(
    "the client's request and the simulator's answer match biz_events.json (getOrganizationReceiptIuvIur)",
    async () => {
      const spec = JSON.parse(readFileSync(BIZ_SPEC, "utf8")) as {
        paths: Record<string, { get: { parameters: Array<{ name: string; in: string }> } }>;
        components: { schemas: Record<string, object> };
        components_securitySchemes?: unknown;
      };
      const template = "/organizations/{organizationfiscalcode}/receipts/{iur}/paymentoptions/{iuv}";
      expect(spec.paths[template]).toBeDefined();
      const nav = await pagopa.notice(900);
      const paid = await pagopa.pay(nav, { lostReceipt: true });
      const option = await inTenant((tx) => tx.paymentOption.findFirstOrThrow({ where: { nav } }));

      // The request as the client sends it, caught by a recording fetch.
      const seen: Array<{ url: string; headers: Headers }> = [];
      const realFetch = globalThis.fetch;
      globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
        seen.push({ url: String(input), headers: new Headers(init?.headers) });
        return realFetch(input, init);
      }) as typeof fetch;
      let body: unknown;
      try {
        const client = createBizEventsClient({ baseUrl: bizUrl(), subscriptionKey: "k-123", timeoutMs: 5_000 });
        const receipt = await client.find({
          organizationFiscalCode: pagopa.tenant.fiscalCode,
          iuv: option.iuv,
          iur: paid.payment.receiptId,
        });
        expect(receipt).toMatchObject({ receiptId: paid.payment.receiptId, nav, amountCents: 900 });
        body = await (await realFetch(seen[0]!.url)).json();
      } finally {
        globalThis.fetch = realFetch;
      }
      const pathOf = new URL(seen[0]!.url).pathname.replace(/^\/bizevents\/service\/v1/, "");
      const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`);
      expect(pathOf).toMatch(pattern);
      expect(pathOf).toBe(
        `/organizations/${pagopa.tenant.fiscalCode}/receipts/${paid.payment.receiptId}/paymentoptions/${option.iuv}`,
      );
      expect(seen[0]!.headers.get("Ocp-Apim-Subscription-Key")).toBe("k-123");
      expect(seen[0]!.headers.get("X-Request-Id")).toBeTruthy();
      const params = spec.paths[template]!.get.parameters.map((p) => `${p.in}:${p.name}`);
      expect(params).toEqual(
        expect.arrayContaining(["path:organizationfiscalcode", "path:iur", "path:iuv", "header:X-Request-Id"]),
      );

      type Schema = {
        $ref?: string;
        type?: string;
        required?: string[];
        properties?: Record<string, Schema>;
        items?: Schema;
      };
      const problems: string[] = [];
      const check = (value: unknown, schema: Schema, at: string) => {
        if (schema.$ref) return check(value, spec.components.schemas[schema.$ref.split("/").pop()!] as Schema, at);
        if (value === null || value === undefined) return;
        const kind = Array.isArray(value) ? "array" : typeof value;
        const ok =
          schema.type === undefined || (schema.type === "integer" ? Number.isInteger(value) : kind === schema.type);
        if (!ok) problems.push(`${at}: ${kind} is not ${schema.type}`);
        for (const r of schema.required ?? [])
          if ((value as Record<string, unknown>)[r] === undefined) problems.push(`${at}.${r}: required`);
        for (const [k, sub] of Object.entries(schema.properties ?? {}))
          check((value as Record<string, unknown>)[k], sub, `${at}.${k}`);
        if (schema.items && Array.isArray(value)) value.forEach((v, i) => check(v, schema.items!, `${at}[${i}]`));
      };
      check(body, { $ref: "#/components/schemas/CtReceiptModelResponse" }, "receipt");
      expect(problems).toEqual([]);
    },
  );
});
