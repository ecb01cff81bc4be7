import type { Database } from "../platform/db/database.ts";
import type { Logger } from "../platform/observability/logger.ts";
import { ingestReportingFlow, type ReconciliationTenant } from "./ingest-reporting-flow.ts";
import type { ReportingRequester, ReportingSource } from "./reporting-source.ts";

export interface FetchSummary {
  listed: number;
  fetched: number;
  stored: number;
  failed: Array<{ flowId: string; reason: string }>;
}

/**
 * Asks pagoPA for the council's published flows and stores those it does not hold yet (a flow
 * is known by PSP, id and revision; by id and instant when the SOAP list names no PSP). One
 * flow that cannot be fetched or read does not stop the others: it is logged and retried on the
 * next run, since it is still not stored.
 */
export async function fetchReportingFlows(
  db: Database,
  tenant: ReconciliationTenant & { requester: ReportingRequester },
  source: ReportingSource,
  logger: Logger,
): Promise<FetchSummary> {
  const listed = await source.listFlows(tenant.requester);
  const known = await db.withTenant(tenant.id, (tx) =>
    tx.reportingFlow.findMany({
      where: { tenantId: tenant.id, flowId: { in: [...new Set(listed.map((l) => l.flowId))] } },
      select: { flowId: true, pspId: true, revision: true, flowDate: true },
    }),
  );
  const isKnown = (l: (typeof listed)[number]) =>
    known.some(
      (k) =>
        k.flowId === l.flowId &&
        (l.pspId ? k.pspId === l.pspId && k.revision === l.revision : k.flowDate.getTime() === l.flowDate?.getTime()),
    );
  const todo = listed.filter((l, i) => !isKnown(l) && listed.findIndex((o) => sameListing(o, l)) === i);
  const summary: FetchSummary = { listed: listed.length, fetched: 0, stored: 0, failed: [] };
  for (const l of todo) {
    try {
      const flow = await source.getFlow(tenant.requester, l);
      summary.fetched++;
      const outcome = await ingestReportingFlow(db, tenant, flow, logger);
      if (outcome.status === "stored") summary.stored++;
    } catch (err) {
      const reason = (err as Error).message;
      summary.failed.push({ flowId: l.flowId, reason });
      logger.warn({ flowId: l.flowId, pspId: l.pspId, source: source.name, reason }, "reporting flow not stored");
    }
  }
  return summary;
}

const sameListing = (
  a: { flowId: string; pspId: string | null; revision: number; flowDate: Date | null },
  b: typeof a,
) =>
  a.flowId === b.flowId &&
  a.pspId === b.pspId &&
  a.revision === b.revision &&
  a.flowDate?.getTime() === b.flowDate?.getTime();
