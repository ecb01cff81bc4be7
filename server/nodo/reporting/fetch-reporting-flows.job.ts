import { z } from "zod";
import { defineJob } from "../../platform/queue/job.ts";
import { AppError } from "../../platform/errors.ts";
import { fetchReportingFlows, reconcilePending, type ReportingSource } from "../../reconciliation/index.ts";
import type { JobContext } from "../../platform/queue/job.ts";
import { rematchTreasuryCredits } from "../../treasury/index.ts";
import { reportingSourceFromConfig } from "./reporting-source.ts";

/**
 * Every hour, for every council that takes payments (TEST or LIVE), through its station: fetch
 * the reporting flows pagoPA published that we do not hold, reconcile them, try unmatched rows
 * again, flag receipts still unreported and match treasury credits still waiting for their flow. A council whose fetch fails is logged and does not
 * stop the others; the next run fetches what this one missed. `ipa` limits a run to one council.
 */
export const fetchReportingFlowsJob = defineJob({
  queue: "reconciliation",
  name: "fetch-reporting-flows",
  schedule: { every: 60 * 60_000 },
  schema: z.object({ ipa: z.string().max(35).optional(), now: z.iso.datetime().optional() }),
  async handle(payload, ctx) {
    return runReportingFetch(ctx, reportingSourceFromConfig(ctx.config, ctx.logger), payload);
  },
});

/** The job's work with the source given (tests pass a client pointed at their simulator). */
export async function runReportingFetch(
  ctx: Pick<JobContext, "db" | "logger" | "config">,
  source: ReportingSource,
  payload: { ipa?: string; now?: string } = {},
) {
  const tenants = await ctx.db.withPlatformScope("scheduler: fetch reporting flows", (tx) =>
    tx.tenant.findMany({
      where: { status: { in: ["TEST", "LIVE"] }, ...(payload.ipa ? { ipaCode: payload.ipa } : {}) },
      select: {
        id: true,
        ipaCode: true,
        fiscalCode: true,
        station: { select: { code: true } },
        intermediary: { select: { fiscalCode: true } },
      },
      orderBy: { ipaCode: "asc" },
    }),
  );
  const results: Record<string, unknown> = {};
  // pagoPA unreachable (after the client's retries) is not one council's problem: the other
  // councils skip the fetch this run instead of each waiting out the same retries; their local
  // reconciliation still runs. The next run tries again.
  let sourceDown = false;
  for (const t of tenants) {
    const tenant = {
      id: t.id,
      fiscalCode: t.fiscalCode,
      requester: {
        fiscalCode: t.fiscalCode,
        stationCode: t.station.code,
        intermediaryFiscalCode: t.intermediary.fiscalCode,
      },
    };
    try {
      const fetched = sourceDown
        ? { skipped: "reporting source unreachable in this run" }
        : await fetchReportingFlows(ctx.db, tenant, source, ctx.logger).catch((err: unknown) => {
            if (err instanceof AppError && err.code === "REPORTING_SOURCE_UNAVAILABLE" && err.status === 503) {
              sourceDown = true;
              ctx.logger.error(
                { ipa: t.ipaCode, err },
                "reporting source unreachable: the other councils skip the fetch this run",
              );
              return { error: err.message };
            }
            throw err;
          });
      const pending = await reconcilePending(ctx.db, tenant, {
        unreportedDays: ctx.config.RECONCILIATION_UNREPORTED_DAYS,
        now: payload.now ? new Date(payload.now) : undefined,
      });
      // Credits that arrived before their flow are matched now that it may be here.
      const treasury = await rematchTreasuryCredits(ctx.db, t.id);
      results[t.ipaCode] = { ...fetched, ...pending, treasury };
    } catch (err) {
      ctx.logger.error({ ipa: t.ipaCode, err }, "reporting flows not fetched for this council");
      results[t.ipaCode] = { error: (err as Error).message };
    }
  }
  ctx.logger.info({ results }, "reporting flows fetched");
  return results;
}
