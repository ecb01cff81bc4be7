import type { Database } from "../platform/db/database.ts";
import { applyPlatformPack, type PackReport } from "../tenancy/index.ts";
import { demoPack } from "../../tenants/demo/pack.ts";

/**
 * Applies the demo pack for a test that needs the demo councils (the realm's demo users and
 * service account belong to them). Several test files do this at once against the shared test
 * database, and two concurrent first applications race on the same upserts (a unique violation
 * in one of them): the pack is idempotent, so the loser simply applies it again.
 */
export async function applyDemoPack(db: Database, actorId: string): Promise<PackReport> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await applyPlatformPack(db, demoPack(), { type: "system", id: actorId });
    } catch (err) {
      if (attempt >= 5 || !/Unique constraint|P2002|duplicate key/i.test(String((err as Error).message ?? err)))
        throw err;
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 250));
    }
  }
}
