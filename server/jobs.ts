import type { JobRegistry } from "./platform/queue/registry.ts";
import type { Database } from "./platform/db/database.ts";
import type { Logger } from "./platform/observability/logger.ts";
import type { AppConfig } from "./config/env.ts";
import type { Redis } from "ioredis";
import type { PdfRenderer } from "./platform/pdf/index.ts";
import type { Mailer } from "./notifications/index.ts";
import { expireOverdueOptionsJob } from "./positions/expire-overdue-options.job.ts";
import { purgeJournalRawJob } from "./nodo/journal/purge-journal-raw.job.ts";
import { receiptRegisteredJob } from "./positions/receipt-registered.job.ts";

export interface JobContext {
  db: Database;
  logger: Logger;
  config: AppConfig;
  redis: Redis;
  pdf: PdfRenderer;
  mailer: Mailer;
}

/**
 * The job registry of the whole platform: every background job is registered here, once.
 * Roles that enqueue and the worker that runs share this list, so they cannot disagree.
 */
export function registerAllJobs(registry: JobRegistry, ctx: JobContext): JobRegistry {
  const jobs = { receiptRegistered: receiptRegisteredJob(ctx) };
  definitions.set(registry, jobs);
  return registry.register(expireOverdueOptionsJob(ctx), purgeJournalRawJob(ctx), jobs.receiptRegistered);
}

/** Definitions that other modules enqueue (the registry only accepts the registered objects). */
export interface RegisteredJobs {
  receiptRegistered: ReturnType<typeof receiptRegisteredJob>;
}

const definitions = new WeakMap<JobRegistry, RegisteredJobs>();

/** The enqueueable job definitions registered on `registry` by `registerAllJobs`. */
export function registeredJobs(registry: JobRegistry): RegisteredJobs {
  const jobs = definitions.get(registry);
  if (!jobs) throw new Error("registerAllJobs has not run on this registry");
  return jobs;
}

/** Recurring jobs the scheduler role keeps registered (BullMQ job schedulers). */
export const SCHEDULES = [
  { queue: "maintenance", name: "expire-overdue-options", every: 5 * 60_000 },
  { queue: "maintenance", name: "purge-journal-raw", every: 60 * 60_000 },
] as const;
