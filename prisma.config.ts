// Prisma CLI configuration. The WASM schema engine talks to PostgreSQL through the pg driver
// adapter, so `migrate deploy` and `migrate diff` need no engine download (see
// docs/decisions/0001-prisma-offline.md).
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";

const url = (process.env.MIGRATE_DATABASE_URL ??= "postgresql://postgres@127.0.0.1:5432/pontepa");

type Connection = Awaited<ReturnType<PrismaPg["connect"]>> & {
  underlyingDriver(): { query(sql: string): Promise<unknown> };
};

/**
 * The stock adapter runs a migration by splitting it on every ";", which breaks dollar-quoted
 * bodies (RLS DO blocks, trigger functions) and applies the pieces outside any transaction.
 * We send each migration file whole instead: PostgreSQL runs a multi-statement simple query as
 * one implicit transaction, so a failing migration leaves nothing half-applied.
 */
class WholeScriptPg extends PrismaPg {
  override async connect() {
    const conn = (await super.connect()) as Connection;
    conn.executeScript = async (script: string) => {
      await conn.underlyingDriver().query(script);
    };
    return conn;
  }
}

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  adapter: async () => new WholeScriptPg({ connectionString: url }),
});
