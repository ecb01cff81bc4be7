import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { Database } from "../platform/db/database.ts";
import { makeTenant } from "../test/factories.ts";
import { allocateNoticeNumbers } from "./allocate-notice-numbers.ts";
import { isValidNav, iuvFromNav } from "../pagopa/index.ts";
import type { Tenant } from "../generated/prisma/client.ts";

const SECRET = "integration-test-iuv-secret";

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
          const got = await worker.withTenant(tenant.id, (tx) => allocateNoticeNumbers(tx, tenant, n, SECRET));
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

  it("hands out the numbers of a rolled-back allocation again, and only those", async () => {
    const own = await makeTenant(db);
    let rolledBack: string[] = [];
    await expect(
      db.withTenant(own.id, async (tx) => {
        rolledBack = (await allocateNoticeNumbers(tx, own, 3, SECRET)).map((n) => n.nav);
        throw new Error("rollback");
      }),
    ).rejects.toThrow("rollback");
    const after = await db.withTenant(own.id, (tx) => allocateNoticeNumbers(tx, own, 4, SECRET));
    expect(after.slice(0, 3).map((n) => n.nav)).toEqual(rolledBack);
    expect(rolledBack).not.toContain(after[3]!.nav);
  });

  it("keeps numbers issued sequentially before the permutation valid and apart from new ones", async () => {
    const older = await makeTenant(db);
    // A council that got bases 1..41 from the old sequential allocation.
    await db.withTenant(
      older.id,
      (tx) =>
        tx.$executeRaw`INSERT INTO iuv_sequences (tenant_id, next_value, updated_at) VALUES (${older.id}::uuid, 42, now())`,
    );
    const fresh = await db.withTenant(older.id, (tx) => allocateNoticeNumbers(tx, older, 50, SECRET));
    const bases = fresh.map((n) => BigInt(n.nav.slice(3, 16)));
    expect(bases.every((b) => b >= 1_000_000_000_000n)).toBe(true);
    expect(fresh.every((n) => isValidNav(n.nav))).toBe(true);
  });

  it("refuses absurd counts", async () => {
    await expect(db.withTenant(tenant.id, (tx) => allocateNoticeNumbers(tx, tenant, 0, SECRET))).rejects.toMatchObject({
      code: "NAV_ALLOCATION_COUNT",
    });
  });
});
