import { z } from "zod";
import { defineJob } from "../../platform/queue/job.ts";
import { applyDueGoLives } from "./apply-due-go-lives.ts";

/** Every 15 minutes: a council planned for today goes live shortly after midnight in Rome. */
export const applyDueGoLivesJob = defineJob({
  queue: "maintenance",
  name: "apply-due-go-lives",
  schedule: { every: 15 * 60_000 },
  schema: z.object({ now: z.iso.datetime().optional() }),
  async handle(payload, ctx) {
    const result = await applyDueGoLives(ctx.db, ctx.logger, payload.now ? new Date(payload.now) : new Date());
    return { switched: result.switched.length, held: result.held.length };
  },
});
