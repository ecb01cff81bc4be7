import { z } from "zod";
import { defineJob } from "../../platform/queue/job.ts";
import { processPrintRun } from "./process-print-run.ts";

/**
 * Prints one mass run, part by part from its checkpoint. One job per run (the job id is the
 * run's), so a re-enqueue never prints it twice at once; a worker that dies leaves the job
 * stalled and BullMQ hands it to another, which resumes after the last committed part.
 */
export const printRunJob = defineJob({
  queue: "notices",
  name: "print-run",
  schema: z.object({ tenantId: z.uuid(), runId: z.uuid() }),
  jobId: (p) => `print-${p.runId}`,
  options: { attempts: 5, backoff: { type: "exponential", delay: 5_000 }, removeOnComplete: 1000 },
  handle: (payload, ctx) => processPrintRun(ctx, payload.tenantId, payload.runId),
});
