import { afterAll, describe, expect, inject, it } from "vitest";
import pg from "pg";
import { Database } from "./database.ts";
import { checkDatabaseSettings } from "./check-database-settings.ts";

describe("checkDatabaseSettings", () => {
  const db = new Database({ url: inject("databaseUrl") });
  afterAll(() => db.close());

  it("warns about autovacuum exactly when the server has it off", async () => {
    // Read the setting independently, as the server's owner sees it, and compare.
    const client = new pg.Client({ connectionString: inject("databaseUrl") });
    await client.connect();
    const { rows } = await client.query<{ autovacuum: string }>("SHOW autovacuum");
    await client.end();
    const warnings = await checkDatabaseSettings(db);
    const off = rows[0]!.autovacuum !== "on";
    expect(warnings.map((w) => w.setting)).toEqual(off ? ["autovacuum"] : []);
    if (off) expect(warnings[0]!.message).toMatch(/autovacuum is off/);
  });
});
