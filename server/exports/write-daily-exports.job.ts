import { z } from "zod";
import { defineJob } from "../platform/queue/job.ts";
import { writeDailyExports } from "./daily-exports.ts";

/**
 * Every hour: yesterday's paid receipts into the drop folder of each council that asked
 * (`tenants.daily_export_layouts`). Hourly rather than once at night, so a worker down at 1 a.m.
 * does not cost the council its file; a file already written is not written again.
 */
export const writeDailyExportsJob = defineJob({
  queue: "imports",
  name: "write-daily-exports",
  schedule: { every: 60 * 60_000 },
  schema: z.object({}),
  async handle(_payload, ctx) {
    return writeDailyExports({ db: ctx.db, config: ctx.config, logger: ctx.logger });
  },
});
