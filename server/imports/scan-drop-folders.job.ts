import { z } from "zod";
import { defineJob } from "../platform/queue/job.ts";
import { scanDropFolders } from "./drop-folder.ts";

/**
 * Looks into every council's drop folder once a minute (IMPORT_DROP_ROOT). The scheduler keeps
 * one schedule however many copies run; a file picked twice by overlapping scans is one content
 * hash, so it is imported once.
 */
export const scanDropFoldersJob = defineJob({
  queue: "imports",
  name: "scan-drop-folders",
  schedule: { every: 60_000 },
  schema: z.object({}),
  async handle(_payload, ctx) {
    if (!ctx.jobs) throw new Error("scan-drop-folders needs the job registry to queue the imports it finds");
    return scanDropFolders({ db: ctx.db, config: ctx.config, logger: ctx.logger, jobs: ctx.jobs });
  },
});
