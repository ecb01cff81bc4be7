import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { testDeps } from "../test/support.ts";
import { makeTenant } from "../test/factories.ts";
import { purgeIdempotencyKeysJob } from "./purge-idempotency-keys.job.ts";

describe("purge-idempotency-keys job", () => {
  const deps = testDeps({ API_IDEMPOTENCY_TTL_HOURS: "24" });
  afterAll(() => deps.close());

  it("drops keys older than the TTL for every council and keeps the recent ones", async () => {
    const [a, b] = [await makeTenant(deps.db), await makeTenant(deps.db)];
    const now = new Date("2027-06-02T10:00:00Z");
    const keys: Record<string, Date> = {
      [`old-${randomUUID()}`]: new Date("2027-06-01T09:00:00Z"), // 25 h before
      [`new-${randomUUID()}`]: new Date("2027-06-01T11:00:00Z"), // 23 h before
    };
    for (const t of [a, b])
      await deps.db.withTenant(t.id, (tx) =>
        tx.apiIdempotencyKey.createMany({
          data: Object.entries(keys).map(([key, createdAt]) => ({
            tenantId: t.id,
            clientId: "c",
            key,
            requestHash: "0".repeat(64),
            createdAt,
          })),
        }),
      );
    await purgeIdempotencyKeysJob.handle({ now: now.toISOString() }, deps, undefined as never);
    for (const t of [a, b]) {
      const left = await deps.db.withTenant(t.id, (tx) => tx.apiIdempotencyKey.findMany({ where: { tenantId: t.id } }));
      expect(left.map((k) => k.key)).toEqual([Object.keys(keys)[1]]);
      // Row-level security: a council's scope sees its own keys only, even without a where.
      expect(await deps.db.withTenant(t.id, (tx) => tx.apiIdempotencyKey.count())).toBe(1);
    }
  });
});
