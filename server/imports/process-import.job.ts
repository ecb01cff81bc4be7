import { z } from "zod";
import { defineJob } from "../platform/queue/job.ts";
import { processImport } from "./process-import.ts";
import { writeDropOutcome } from "./drop-folder.ts";

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
    const summary = await processImport(ctx, payload.tenantId, payload.importId);
    // A file from a drop folder gets its outcome files in the council's out/ folder.
    await writeDropOutcome(ctx, payload.tenantId, payload.importId);
    return summary;
  },
});
