import { z } from "zod";
import { defineJob } from "../../platform/queue/job.ts";
import { remindIbanChanges } from "./remind-iban-changes.ts";

/** Hourly: each account is reminded once, as soon as it is 7 days (or fewer) from taking effect. */
export const remindIbanChangesJob = defineJob({
  queue: "maintenance",
  name: "remind-iban-changes",
  schedule: { every: 60 * 60_000 },
  schema: z.object({ now: z.iso.datetime().optional() }),
  async handle(payload, ctx) {
    return remindIbanChanges(ctx.db, ctx.mailer, ctx.logger, payload.now ? new Date(payload.now) : new Date());
  },
});
