import { Queue, Worker, type ConnectionOptions, type Job, type JobsOptions } from "bullmq";
import type { z } from "zod";
import type { Logger } from "../observability/logger.ts";

/**
 * A background job: its queue, the zod schema of its payload and its handler. Payloads are
 * validated when enqueued and again when run, so a job written by an older release fails loudly
 * instead of doing the wrong thing.
 */
export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  queue: string;
  name: string;
  schema: S;
  /** Deterministic id from the payload, so a retried enqueue does not run the work twice. */
  jobId?: (payload: z.infer<S>) => string;
  options?: JobsOptions;
  handle(payload: z.infer<S>, job: Job): Promise<unknown>;
}

export function defineJob<S extends z.ZodType>(definition: JobDefinition<S>): JobDefinition<S> {
  return definition;
}

/**
 * Every job the platform knows. It refuses duplicate names at boot, and `enqueue` refuses
 * names it does not know, so a typo cannot silently park work in a queue nobody consumes.
 */
export class JobRegistry {
  private readonly jobs = new Map<string, JobDefinition>();
  private readonly queues = new Map<string, Queue>();

  constructor(
    private readonly connection: ConnectionOptions,
    private readonly prefix: string,
  ) {}

  register(...definitions: JobDefinition[]): this {
    for (const def of definitions) {
      const key = `${def.queue}/${def.name}`;
      if (this.jobs.has(key)) throw new Error(`Job ${key} is registered twice`);
      this.jobs.set(key, def);
    }
    return this;
  }

  names(): string[] {
    return [...this.jobs.keys()].sort();
  }

  private queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, {
        connection: this.connection,
        prefix: this.prefix,
        defaultJobOptions: {
          attempts: 8,
          backoff: { type: "exponential", delay: 2_000 },
          removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
          removeOnFail: { age: 30 * 24 * 3600 },
        },
      });
      this.queues.set(name, queue);
    }
    return queue;
  }

  /** Validates and enqueues a job. */
  async enqueue<S extends z.ZodType>(def: JobDefinition<S>, payload: z.infer<S>, options: JobsOptions = {}): Promise<Job> {
    const key = `${def.queue}/${def.name}`;
    if (this.jobs.get(key) !== (def as unknown as JobDefinition)) throw new Error(`Job ${key} is not registered`);
    const data = def.schema.parse(payload);
    return this.queue(def.queue).add(def.name, data, { ...def.options, ...options, jobId: options.jobId ?? def.jobId?.(data) });
  }

  /** Starts one BullMQ worker per queue that has registered jobs. */
  startWorkers(logger: Logger, concurrency = 4): Worker[] {
    const byQueue = new Map<string, Map<string, JobDefinition>>();
    for (const def of this.jobs.values()) {
      const names = byQueue.get(def.queue) ?? new Map();
      names.set(def.name, def);
      byQueue.set(def.queue, names);
    }
    return [...byQueue].map(([queue, defs]) => {
      const worker = new Worker(
        queue,
        async (job) => {
          const def = defs.get(job.name);
          if (!def) throw new Error(`No handler for job ${queue}/${job.name}`);
          return def.handle(def.schema.parse(job.data), job);
        },
        { connection: this.connection, prefix: this.prefix, concurrency },
      );
      worker.on("failed", (job, err) => logger.warn({ queue, job: job?.name, jobId: job?.id, err }, "job failed"));
      return worker;
    });
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}
