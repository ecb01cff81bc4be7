import { describe, expect, it } from "vitest";
import { createMetrics } from "../../platform/observability/metrics.ts";
import type { JournalWriter } from "../journal/index.ts";
import type { StationAnswer } from "./handle-request.ts";
import { recordAnswer, type StationRouteOptions } from "./station-exchange.ts";

const answer = (operation: string, outcome: string, tenantId: string | null): StationAnswer => ({
  status: 200,
  xml: "<ok/>",
  operation,
  outcome,
  tenantId,
  stationCode: "77777777777_01",
  keys: {},
  authenticated: true,
});

describe("recordAnswer", () => {
  it("counts the receipts acknowledged with OK per council, for the receipts-per-minute service level", async () => {
    const metrics = createMetrics("soap");
    const journal = { write() {} } as unknown as JournalWriter;
    const options = { metrics, journal } as unknown as StationRouteOptions;
    recordAnswer(options, answer("paSendRTV2", "OK", "tenant-a"), Date.now(), "r1", null);
    recordAnswer(options, answer("paSendRTV2", "OK", "tenant-a"), Date.now(), "r2", null);
    recordAnswer(options, answer("paSendRTV2", "OK", "tenant-b"), Date.now(), "r3", null);
    recordAnswer(options, answer("paSendRTV2", "PAA_SYSTEM_ERROR", "tenant-b"), Date.now(), "r4", null);
    recordAnswer(options, answer("paGetPaymentV2", "OK", "tenant-b"), Date.now(), "r5", null);
    const counted = await metrics.receiptsAcknowledged.get();
    const byTenant = Object.fromEntries(counted.values.map((v) => [v.labels.tenant, v.value]));
    expect(byTenant).toEqual({ "tenant-a": 2, "tenant-b": 1 });
    expect(await metrics.registry.metrics()).toMatch(
      /pontepa_receipts_acknowledged_total\{tenant="tenant-a",role="soap"\} 2/,
    );
  });
});
