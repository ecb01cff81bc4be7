import { z } from "zod";
import { defineJob } from "../../platform/queue/job.ts";
import { runPreproductionTests } from "../../tenancy/preproduction/index.ts";
import { createPspCounterClient } from "./psp-counter-client.ts";

/**
 * Runs one queued pre-production run against the test Nodo's PSP counter. The jobId is the run's,
 * so a double enqueue runs it once; a run already finished is left alone if the job is retried.
 */
export const runPreproductionTestsJob = defineJob({
  queue: "maintenance",
  name: "run-preproduction-tests",
  schema: z.object({ tenantId: z.uuid(), runId: z.uuid() }),
  jobId: (p) => `preproduction-${p.runId}`,
  async handle(payload, ctx) {
    const nodo = createPspCounterClient({
      baseUrl: ctx.config.PREPRODUCTION_PSP_COUNTER_URL,
      timeoutMs: ctx.config.PREPRODUCTION_TIMEOUT_MS,
    });
    return runPreproductionTests(ctx.db, nodo, ctx.logger, payload.runId, payload.tenantId);
  },
});
