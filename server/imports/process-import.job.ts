import { z } from "zod";
import { defineJob } from "../platform/queue/job.ts";
import { processImport } from "./process-import.ts";

/**
 * Imports one uploaded file, chunk by chunk from its checkpoint. One job per import (the job id
 * is the import's), so a re-enqueue never runs it twice at once; a worker that dies leaves the
 * job stalled and BullMQ hands it to another, which resumes after the last committed chunk.
 */
export const processImportJob = defineJob({
  queue: "imports",
  name: "process-import",
  schema: z.object({ tenantId: z.uuid(), importId: z.uuid() }),
  jobId: (p) => `import-${p.importId}`,
  options: { attempts: 5, backoff: { type: "exponential", delay: 5_000 }, removeOnComplete: 1000 },
  async handle(payload, ctx) {
    return processImport(ctx, payload.tenantId, payload.importId);
  },
});
