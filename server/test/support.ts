import { inject } from "vitest";
import { loadConfig, type AppConfig } from "../config/env.ts";
import { createDeps, type Deps } from "../platform/deps.ts";
import { createLogger } from "../platform/observability/logger.ts";
import { AMOUNT_RULE_PLUGINS } from "../../tenants/plugins/index.ts";

/** Configuration pointing at the run's throwaway database and Redis prefix. */
export function testConfig(overrides: Record<string, string> = {}): AppConfig {
  return loadConfig({
    NODE_ENV: "test",
    LOG_LEVEL: "silent",
    DATABASE_URL: inject("databaseUrl"),
    MIGRATE_DATABASE_URL: inject("ownerDatabaseUrl"),
    REDIS_URL: inject("redisUrl"),
    QUEUE_PREFIX: inject("queuePrefix"),
    API_PORT: "0",
    SOAP_PORT: "0",
    WORKER_METRICS_PORT: "0",
    ...overrides,
  });
}

/** Real dependencies (PostgreSQL, Redis) for an integration test; close them in afterAll. */
export function testDeps(overrides: Record<string, string> = {}): Deps {
  const config = testConfig(overrides);
  return createDeps(
    config,
    "test",
    { amountRulePlugins: AMOUNT_RULE_PLUGINS },
    createLogger({ level: "silent", role: "test" }),
  );
}

export { PRODUCTION_TEST_ENV } from "./production-env.ts";
