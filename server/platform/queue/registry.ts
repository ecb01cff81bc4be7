import { hostname } from "node:os";
import { Queue, Worker, type ConnectionOptions, type Job, type JobsOptions } from "bullmq";
import type { z } from "zod";
import type { JobContext, JobDefinition } from "./job.ts";

/** A job list or a Redis state the platform must not run with (like a missing env variable). */
export class JobRegistryError extends Error {
  constructor(readonly problems: string[]) {
    super(`Job registry: ${problems.join("; ")}`);
    this.name = "JobRegistryError";
  }
}

const keyOf = (def: Pick<JobDefinition, "queue" | "name">) => `${def.queue}/${def.name}`;

/**
 * Every job the platform knows (the list in `server/jobs.ts`). It refuses at boot duplicate
 * names and schedules it could not run; `enqueue` refuses definitions it does not hold, so a
 * typo cannot silently park work in a queue nobody consumes; the worker refuses to start while
 * Redis holds a job scheduler naming a job it has no handler for.
 */
export class JobRegistry {
  private readonly jobs = new Map<string, JobDefinition>();
  private readonly queues = new Map<string, Queue>();

  constructor(
    private readonly connection: ConnectionOptions,
    private readonly prefix: string,
  ) {}

  /** @throws JobRegistryError on a duplicate name or an unusable schedule. */
  register(...definitions: JobDefinition[]): this {
    const problems: string[] = [];
    for (const def of definitions) {
      const key = keyOf(def);
      if (this.jobs.has(key)) problems.push(`job ${key} is registered twice`);
      if (def.schedule) {
        if (!Number.isInteger(def.schedule.every) || def.schedule.every < 1_000)
          problems.push(`job ${key}: schedule every ${def.schedule.every} ms (whole ms, at least 1 s)`);
        // A scheduled run carries the empty payload: a schema that refuses it would fail every run.
        if (!def.schema.safeParse({}).success)
          problems.push(`job ${key} is scheduled but its payload schema refuses {}`);
      }
      this.jobs.set(key, def);
    }
    if (problems.length) throw new JobRegistryError(problems);
    return this;
  }

  names(): string[] {
    return [...this.jobs.keys()].sort();
  }

  /** The registered jobs that carry a schedule. */
  scheduled(): JobDefinition[] {
    return [...this.jobs.values()].filter((d) => d.schedule);
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

  private queueNames(): string[] {
    return [...new Set([...this.jobs.values()].map((d) => d.queue))].sort();
  }

  /** Validates and enqueues a job. */
  async enqueue<S extends z.ZodType>(
    def: JobDefinition<S>,
    payload: z.infer<S>,
    options: JobsOptions = {},
  ): Promise<Job> {
    const key = keyOf(def);
    if (this.jobs.get(key) !== (def as unknown as JobDefinition)) throw new Error(`Job ${key} is not registered`);
    const data = def.schema.parse(payload);
    return this.queue(def.queue).add(def.name, data, {
      ...def.options,
      ...options,
      jobId: options.jobId ?? def.jobId?.(data),
    });
  }

  /**
   * Queues a job whose work PostgreSQL says is still not done (a sweep's repair): adds it when
   * Redis no longer holds its id (Redis lost it), retries it when it is there but failed (its
   * attempts ran out), and leaves it alone when it is waiting, running or delayed.
   * @returns what was done
   */
  async requeue<S extends z.ZodType>(
    def: JobDefinition<S>,
    payload: z.infer<S>,
  ): Promise<"added" | "retried" | "pending" | "completed"> {
    const data = def.schema.parse(payload);
    const jobId = def.jobId?.(data);
    if (!jobId) throw new Error(`Job ${keyOf(def)} has no deterministic id to requeue by`);
    const existing = await this.queue(def.queue).getJob(jobId);
    if (!existing) {
      await this.enqueue(def, data);
      return "added";
    }
    const state = await existing.getState();
    if (state === "failed") {
      await existing.retry("failed", { resetAttemptsMade: true });
      return "retried";
    }
    // Completed while the caller saw its work not done: it finished in between (the handler
    // then finds its work done) or ran before the mark existed. Run it once more (the work is
    // idempotent): removed and added under the same id.
    if (state === "completed") {
      await existing.remove();
      await this.enqueue(def, data);
      return "completed";
    }
    return "pending";
  }

  /**
   * Makes Redis hold exactly the schedules of the registered jobs: upserts each (idempotent, so
   * several scheduler copies never double a recurring job) and removes the job schedulers of our
   * queues that no registered job claims (left by an older release).
   */
  async syncSchedulers(): Promise<{ upserted: string[]; removed: string[] }> {
    const upserted: string[] = [];
    const removed: string[] = [];
    for (const name of this.queueNames()) {
      const queue = this.queue(name);
      const wanted = new Map(
        this.scheduled()
          .filter((d) => d.queue === name)
          .map((d) => [d.name, d]),
      );
      for (const s of await queue.getJobSchedulers()) {
        if (!wanted.has(s.key)) {
          await queue.removeJobScheduler(s.key);
          removed.push(`${name}/${s.key}`);
        }
      }
      for (const def of wanted.values()) {
        await queue.upsertJobScheduler(def.name, { every: def.schedule!.every }, { name: def.name, data: {} });
        upserted.push(keyOf(def));
      }
    }
    return { upserted, removed };
  }

  /**
   * Fails fast when Redis holds a job scheduler, in one of our queues, naming a job this
   * registry has no handler for: every run it produced would fail.
   * @throws JobRegistryError naming each such schedule
   */
  async checkSchedulers(): Promise<void> {
    const problems: string[] = [];
    for (const name of this.queueNames()) {
      for (const s of await this.queue(name).getJobSchedulers()) {
        const jobName = s.name || s.key;
        if (!this.jobs.has(`${name}/${jobName}`))
          problems.push(`the schedule ${name}/${s.key} names job ${jobName}, which has no handler`);
      }
    }
    if (problems.length) throw new JobRegistryError(problems);
  }

  /** Starts one BullMQ worker per queue that has registered jobs; handlers get `ctx`. */
  startWorkers(ctx: JobContext, concurrency = 4): Worker[] {
    const byQueue = new Map<string, Map<string, JobDefinition>>();
    for (const def of this.jobs.values()) {
      const names = byQueue.get(def.queue) ?? new Map<string, JobDefinition>();
      names.set(def.name, def);
      byQueue.set(def.queue, names);
    }
    return [...byQueue].map(([queue, defs]) => {
      const worker = new Worker(
        queue,
        async (job) => {
          const def = defs.get(job.name);
          if (!def) throw new Error(`No handler for job ${queue}/${job.name}`);
          return def.handle(def.schema.parse(job.data), ctx, job);
        },
        // The name is recorded on every job it runs (processedBy): which process (pod) ran it.
        { connection: this.connection, prefix: this.prefix, concurrency, name: `${hostname()}:${process.pid}` },
      );
      worker.on("failed", (job, err) => ctx.logger.warn({ queue, job: job?.name, jobId: job?.id, err }, "job failed"));
      return worker;
    });
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}
