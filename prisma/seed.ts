/**
 * Seeds the demo platform (tenants/demo): the Region as intermediary, its stations, three
 * councils with their catalog and a few debt positions. Safe to run again: it updates in place
 * and creates each position once.
 */
import { Database } from "../server/platform/db/database.ts";
import { applyPlatformPack } from "../server/tenancy/index.ts";
import { demoPack } from "../tenants/demo/pack.ts";

const url = process.env.DATABASE_URL ?? "postgresql://pontepa_app@127.0.0.1:5432/pontepa";
const db = new Database({ url, poolSize: 2 });
try {
  const report = await applyPlatformPack(db, demoPack(), { type: "system", id: "seed" });
  console.log(`[seed] demo applied: ${JSON.stringify(report)}`);
} finally {
  await db.close();
}
