import { Redis } from "ioredis";
import type { AppConfig } from "../config/env.ts";
import { Database } from "./db/database.ts";
import { createLogger, type Logger } from "./observability/logger.ts";
import { createMetrics, type Metrics } from "./observability/metrics.ts";
import { JobRegistry } from "./queue/registry.ts";
import { JOBS } from "../jobs.ts";
import type { HealthProbe } from "./http/health.routes.ts";
import { createChromiumPool, type ChromiumPool } from "./pdf/index.ts";
import { createMailer, type Mailer } from "./mail/mailer.ts";
import { AmountRules, type AmountRulePlugin } from "../catalog/index.ts";

/** Everything a role needs, built once per process and passed down explicitly. */
export interface Deps {
  config: AppConfig;
  logger: Logger;
  db: Database;
  redis: Redis;
  jobs: JobRegistry;
  metrics: Metrics;
  probes: HealthProbe[];
  /** Notice and receipt PDFs; Chromium starts on the first render, so roles that print nothing never launch it. */
  pdf: ChromiumPool;
  mailer: Mailer;
  /** The amount-rule plug-ins of `tenants/plugins/`, passed in by the composition root. */
  amountRules: AmountRules;
  close(): Promise<void>;
}

/** What the composition root (main.ts, tests) plugs into the platform from outside `server/`. */
export interface Extensions {
  amountRulePlugins: ReadonlyArray<AmountRulePlugin<never>>;
}

export function createDeps(
  config: AppConfig,
  role: string,
  extensions: Extensions,
  logger = createLogger({ level: config.LOG_LEVEL, role }),
): Deps {
  const amountRules = new AmountRules(extensions.amountRulePlugins);
  const db = new Database({
    url: config.DATABASE_URL,
    poolSize: config.DATABASE_POOL_SIZE,
    iuvPermutationSecret: config.IUV_PERMUTATION_SECRET,
  });
  // BullMQ workers block on Redis: maxRetriesPerRequest must be null for them.
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null, lazyConnect: false });
  redis.on("error", (err) => logger.warn({ err: err.message }, "redis connection error"));
  const pdf = createChromiumPool(config, logger);
  const mailer = createMailer(config);
  const jobs = new JobRegistry(redis, config.QUEUE_PREFIX).register(...JOBS);
  const metrics = createMetrics(role);
  const probes: HealthProbe[] = [
    { name: "postgres", check: () => db.ping() },
    {
      name: "redis",
      check: async () => {
        if ((await redis.ping()) !== "PONG") throw new Error("unexpected PING answer");
      },
    },
  ];
  return {
    config,
    logger,
    db,
    redis,
    jobs,
    metrics,
    probes,
    pdf,
    mailer,
    amountRules,
    async close() {
      mailer.close();
      await pdf.close();
      await jobs.close();
      await db.close();
      redis.disconnect();
    },
  };
}
