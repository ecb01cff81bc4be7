import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import pg from "pg";
import type { TestProject } from "vitest/node";

const run = promisify(execFile);

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    ownerDatabaseUrl: string;
    redisUrl: string;
    queuePrefix: string;
  }
}

/** Replaces the database name (and optionally the user) of a PostgreSQL URL. */
export function withDatabase(url: string, database: string, user?: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  if (user) {
    u.username = user;
    u.password = "";
  }
  return u.toString();
}

/**
 * Integration tests run against the real PostgreSQL and Redis, in a throwaway database created
 * here and migrated with the project's own migrations (the same `prisma migrate deploy` a
 * deployment runs). Tests connect as pontepa_app, the role row-level security applies to.
 */
export default async function setup(project: TestProject) {
  const admin = process.env.TEST_ADMIN_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const name = `pontepa_test_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  const ownerUrl = withDatabase(admin, name);
  await run("npx", ["prisma", "migrate", "deploy"], {
    env: {
      ...process.env,
      MIGRATE_DATABASE_URL: ownerUrl,
      PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? "/bin/true",
      PRISMA_QUERY_ENGINE_LIBRARY: process.env.PRISMA_QUERY_ENGINE_LIBRARY ?? "/bin/true",
      PRISMA_HIDE_UPDATE_MESSAGE: "1",
    },
  });
  const redisUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379/0";
  const queuePrefix = `pontepa-test-${name}`;
  project.provide("databaseUrl", withDatabase(admin, name, process.env.TEST_APP_DB_USER ?? "pontepa_app"));
  project.provide("ownerDatabaseUrl", ownerUrl);
  project.provide("redisUrl", redisUrl);
  project.provide("queuePrefix", queuePrefix);

  return async () => {
    const { Redis } = await import("ioredis");
    const redis = new Redis(redisUrl);
    const keys = await redis.keys(`${queuePrefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    if (!process.env.KEEP_TEST_DB) await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.end();
  };
}
