import type { Job, JobsOptions } from "bullmq";
import type { Redis } from "ioredis";
import type { z } from "zod";
import type { AppConfig } from "../../config/env.ts";
import type { Database } from "../db/database.ts";
import type { Mailer } from "../mail/mailer.ts";
import type { Logger } from "../observability/logger.ts";
import type { PdfRenderer } from "../pdf/index.ts";
import type { JobRegistry } from "./registry.ts";

/** What a job's handler may use: the platform's adapters, built once per process. */
export interface JobContext {
  db: Database;
  logger: Logger;
  config: AppConfig;
  redis: Redis;
  pdf: PdfRenderer;
  mailer: Mailer;
  /** Enqueues follow-up jobs (the worker role passes its registry; a drop-folder scan queues imports). */
  jobs?: Pick<JobRegistry, "enqueue" | "requeue">;
}

/** A recurring job: every `every` milliseconds (BullMQ job scheduler, upserted by the scheduler role). */
export interface JobSchedule {
  every: number;
}

/**
 * A background job: its queue, the zod schema of its payload, an optional schedule and its
 * handler. Payloads are validated when enqueued and again when run, so a job written by an
 * older release fails loudly instead of doing the wrong thing. A scheduled job runs with the
 * empty payload `{}`, so its schema must accept it.
 */
export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  queue: string;
  name: string;
  schema: S;
  schedule?: JobSchedule;
  /** Deterministic id from the payload, so a retried enqueue does not run the work twice. */
  jobId?: (payload: z.infer<S>) => string;
  options?: JobsOptions;
  handle(payload: z.infer<S>, ctx: JobContext, job: Job): Promise<unknown>;
}

/** Identity helper keeping the payload type tied to its schema. */
export function defineJob<S extends z.ZodType>(definition: JobDefinition<S>): JobDefinition<S> {
  return definition;
}
