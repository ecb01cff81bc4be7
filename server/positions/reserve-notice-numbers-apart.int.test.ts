import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { Database } from "../platform/db/database.ts";
import { rawQuery } from "../platform/db/raw-sql.ts";
import { makeTenant, onePaymentPosition } from "../test/factories.ts";
import { allocateNoticeNumbers } from "./allocate-notice-numbers.ts";
import { createPositionsBatch } from "./create-positions-batch.ts";
import { reserveNoticeNumbersApart } from "./reserve-notice-numbers-apart.ts";
import type { Tenant } from "../generated/prisma/client.ts";

const SECRET = "integration-test-iuv-secret";
const actor = { type: "machine" as const, id: "council-system" };
const input = (n: number) => onePaymentPosition(`Tributo ${n}`);

describe("notice numbers reserved apart from the writing transaction", () => {
  const db = new Database({ url: inject("databaseUrl"), iuvPermutationSecret: SECRET });
  const other = new Database({ url: inject("databaseUrl") });
  let tenant: Tenant;
  beforeAll(async () => {
    tenant = await makeTenant(db);
  });
  afterAll(() => Promise.all([db.close(), other.close()]));

  /** Whether another connection can take the council's counter row right now. */
  const counterFree = () =>
    other.sql
      .withTenant(tenant.id, (tx) =>
        rawQuery(tx, "SELECT 1 FROM iuv_sequences WHERE tenant_id = $1::uuid FOR UPDATE NOWAIT", [tenant.id]),
      )
      .then(
        () => true,
        (err: { code?: string }) => {
          if (err.code === "55P03") return false; // lock_not_available
          throw err;
        },
      );

  it("leaves the counter row free while the positions' transaction is still open", async () => {
    const numbers = await reserveNoticeNumbersApart(db, tenant, 1);
    const freeDuring = await db.sql.withTenant(tenant.id, async (tx) => {
      const [r] = await createPositionsBatch(db, tx, tenant, [input(1)], actor, undefined, { reserveNumbers: numbers });
      expect(r!.ok).toBe(true);
      return counterFree();
    });
    expect(freeDuring).toBe(true);
    // The default, reserving inside the writer's transaction, holds the row until commit.
    const heldDuring = await db.sql.withTenant(tenant.id, async (tx) => {
      const [r] = await createPositionsBatch(db, tx, tenant, [input(2)], actor);
      expect(r!.ok).toBe(true);
      return !(await counterFree());
    });
    expect(heldDuring).toBe(true);
  });

  it("never hands out again a number reserved and left unused (a gap, not a duplicate)", async () => {
    const numbers = await reserveNoticeNumbersApart(db, tenant, 3);
    const used = await numbers(1);
    await expect(numbers(3)).rejects.toThrow(/More notice numbers/);
    const later = await db.sql.withTenant(tenant.id, (tx) => allocateNoticeNumbers(tx, tenant, 5, SECRET));
    const reservedNavs = new Set([...used, ...(await numbers(2))].map((n) => n.nav));
    expect(reservedNavs.size).toBe(3);
    expect(later.filter((n) => reservedNavs.has(n.nav))).toEqual([]);
  });
});
