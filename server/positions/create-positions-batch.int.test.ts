import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Database } from "../platform/db/database.ts";
import { rawQuery } from "../platform/db/raw-sql.ts";
import { makeTenant, onePaymentPosition } from "../test/factories.ts";
import { createPositionsBatch } from "./create-positions-batch.ts";
import type { Tenant } from "../generated/prisma/client.ts";

const actor = { type: "machine" as const, id: "council-system" };
const input = (externalId: string) => onePaymentPosition(`Tributo ${externalId}`, externalId);

describe("createPositionsBatch and external ids already in use", () => {
  const db = new Database({ url: inject("databaseUrl"), iuvPermutationSecret: "integration-test-iuv-secret" });
  let tenant: Tenant;
  beforeAll(async () => {
    tenant = await makeTenant(db);
    await db.sql.withTenant(tenant.id, (tx) => createPositionsBatch(db, tx, tenant, [input("TARI-1")], actor));
  });
  afterAll(() => db.close());

  const count = () =>
    db.sql.withTenant(tenant.id, (tx) =>
      rawQuery<{ n: string }>(tx, "SELECT count(*) AS n FROM debt_positions WHERE tenant_id = $1::uuid", [tenant.id]),
    );

  it("by default looks them up and refuses only that position, writing the others", async () => {
    const results = await db.sql.withTenant(tenant.id, (tx) =>
      createPositionsBatch(db, tx, tenant, [input("TARI-1"), input("TARI-2")], actor),
    );
    expect(results.map((r) => r.ok)).toEqual([false, true]);
    expect(String((results[0] as { error: Error }).error.message)).toMatch(/TARI-1 exists/);
    expect(Number((await count())[0]!.n)).toBe(2);
  });

  it("when the caller says it checked them, a key taken meanwhile fails the whole batch and writes nothing", async () => {
    // The import's bulk lane probes its keys first; one raced in after that probe is refused by
    // the unique index, and the lane rolls back to apply the chunk record by record.
    await expect(
      db.sql.withTenant(tenant.id, (tx) =>
        createPositionsBatch(db, tx, tenant, [input("TARI-3"), input("TARI-1")], actor, undefined, {
          externalIdsChecked: true,
        }),
      ),
    ).rejects.toThrow(/debt_positions_tenant_id_external_id_key/);
    expect(Number((await count())[0]!.n)).toBe(2);
  });
});
