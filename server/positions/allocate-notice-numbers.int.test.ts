import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { Database } from "../platform/db/database.ts";
import { makeTenant } from "../test/factories.ts";
import { allocateNoticeNumbers } from "./allocate-notice-numbers.ts";
import { isValidNav, iuvFromNav } from "../pagopa/index.ts";
import type { Tenant } from "../generated/prisma/client.ts";

describe("notice number allocation", () => {
  // Eight workers, each with its own connection pool, as eight processes would have.
  const workers = Array.from({ length: 8 }, () => new Database({ url: inject("databaseUrl"), poolSize: 2 }));
  const db = workers[0]!;
  let tenant: Tenant;

  beforeAll(async () => {
    tenant = await makeTenant(db);
  });
  afterAll(() => Promise.all(workers.map((w) => w.close())));

  it("gives 10,000 NAVs to 8 concurrent workers without a duplicate, all check-valid", async () => {
    const perWorker = 1250;
    const batches = await Promise.all(
      workers.map(async (worker) => {
        const mine: string[] = [];
        // Mixed batch sizes: single allocations and multi-option positions interleave.
        while (mine.length < perWorker) {
          const n = Math.min(perWorker - mine.length, 1 + (mine.length % 5));
          const got = await worker.withTenant(tenant.id, (tx) => allocateNoticeNumbers(tx, tenant, n));
          mine.push(...got.map((g) => g.nav));
        }
        return mine;
      }),
    );
    const all = batches.flat();
    expect(all).toHaveLength(10_000);
    expect(new Set(all).size).toBe(10_000);
    expect(all.every((nav) => isValidNav(nav))).toBe(true);
    expect(all.every((nav) => nav.startsWith(`3${tenant.segregationCode}`))).toBe(true);
    expect(new Set(all.map(iuvFromNav)).size).toBe(10_000);
  });

  it("hands out bases of a rolled-back allocation again, and only those", async () => {
    const before = await db.withTenant(tenant.id, (tx) => allocateNoticeNumbers(tx, tenant, 1));
    await expect(
      db.withTenant(tenant.id, async (tx) => {
        await allocateNoticeNumbers(tx, tenant, 3);
        throw new Error("rollback");
      }),
    ).rejects.toThrow("rollback");
    const after = await db.withTenant(tenant.id, (tx) => allocateNoticeNumbers(tx, tenant, 1));
    expect(BigInt(after[0]!.nav.slice(3, 16))).toBe(BigInt(before[0]!.nav.slice(3, 16)) + 1n);
  });

  it("refuses absurd counts", async () => {
    await expect(db.withTenant(tenant.id, (tx) => allocateNoticeNumbers(tx, tenant, 0))).rejects.toMatchObject({
      code: "NAV_ALLOCATION_COUNT",
    });
  });
});
