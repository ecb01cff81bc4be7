import {
  readReportingDocument,
  type ListedFlow,
  type ReportingDocument,
  type ReportingRequester,
  type ReportingRowData,
  type ReportingSource,
} from "../../reconciliation/index.ts";
import { AppError } from "../../platform/errors.ts";
import type { Logger } from "../../platform/observability/logger.ts";
import { requestWithRetries, type ReportingHttpConfig } from "./http-get.ts";

export interface Fdr3ClientConfig extends ReportingHttpConfig {
  /** e.g. https://api.platform.pagopa.it/fdr-org/service/v1, or the simulator's /fdr in development. */
  baseUrl: string;
  subscriptionKey?: string;
}

/** Page size asked of the FdR 3 API (its maximum is 1000; the default 1000 too). */
export const FDR3_PAGE_SIZE = 1000;

/**
 * Client of FdR 3 for organisations (openapi/fdr_organization.json): the published flows
 * (GET /organizations/{organizationId}/fdrs), a flow's header (.../revisions/{revision}/psps/{pspId})
 * and its payments page by page (.../payments). Answers are read by reconciliation's own
 * reader (zod), so a flow fetched here and one uploaded by hand are checked alike.
 */
export function createFdr3Client(config: Fdr3ClientConfig, logger: Logger): ReportingSource {
  const base = config.baseUrl.replace(/\/+$/, "");
  const headers = {
    accept: "application/json",
    ...(config.subscriptionKey ? { "Ocp-Apim-Subscription-Key": config.subscriptionKey } : {}),
  };
  async function get(path: string, query: Record<string, string | number> = {}): Promise<ReportingDocument> {
    const qs = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString();
    const body = await requestWithRetries(
      `${base}${path}${qs ? `?${qs}` : ""}`,
      { headers },
      config,
      logger,
      `FdR 3 GET ${path}`,
    );
    const doc = readReportingDocument(body);
    if (doc.kind === "refused") throw new AppError("REPORTING_FLOW_INVALID", `FdR 3 GET ${path}: ${doc.reason}`, 502);
    return doc;
  }
  const enc = encodeURIComponent;

  return {
    name: "fdr3",
    async listFlows(requester: ReportingRequester): Promise<ListedFlow[]> {
      const flows: ListedFlow[] = [];
      for (let page = 1; page <= 1000; page++) {
        const doc = await get(`/organizations/${enc(requester.fiscalCode)}/fdrs`, { page, size: FDR3_PAGE_SIZE });
        if (doc.kind !== "flow-list")
          throw new AppError("REPORTING_FLOW_INVALID", `FdR 3 list answered a ${doc.kind}`, 502);
        flows.push(...doc.flows);
        if (doc.flows.length < FDR3_PAGE_SIZE) break;
      }
      return flows;
    },
    async getFlow(requester, listed) {
      if (!listed.pspId) throw new AppError("REPORTING_FLOW_INVALID", `FdR 3 flow ${listed.flowId} without PSP`, 502);
      const path = `/organizations/${enc(requester.fiscalCode)}/fdrs/${enc(listed.flowId)}/revisions/${listed.revision}/psps/${enc(listed.pspId)}`;
      const head = await get(path);
      if (head.kind !== "flow-header")
        throw new AppError("REPORTING_FLOW_INVALID", `FdR 3 flow answered a ${head.kind}`, 502);
      const rows: ReportingRowData[] = [];
      for (let page = 1; ; page++) {
        const doc = await get(`${path}/payments`, { page, size: FDR3_PAGE_SIZE });
        if (doc.kind !== "payments")
          throw new AppError("REPORTING_FLOW_INVALID", `FdR 3 payments answered a ${doc.kind}`, 502);
        rows.push(...doc.rows);
        if (!doc.page || doc.page.number >= doc.page.total || doc.rows.length === 0) break;
      }
      const total = rows.reduce((s, r) => s + r.amountCents, 0);
      const h = head.header;
      const warnings =
        h.declaredCount !== rows.length || h.declaredTotalCents !== total
          ? [
              `declared ${h.declaredCount} payments for ${h.declaredTotalCents} cents, rows are ${rows.length} for ${total} cents`,
            ]
          : [];
      return { ...h, rows, warnings };
    },
  };
}
