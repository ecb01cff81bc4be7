import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import * as soap from "soap";
import { AppError } from "../../platform/errors.ts";
import type { Logger } from "../../platform/observability/logger.ts";
import {
  readReportingDocument,
  type ListedFlow,
  type ReportingDocument,
  type ReportingRequester,
  type ReportingSource,
} from "../../reconciliation/index.ts";

export interface NodeForPaClientConfig {
  /** The Nodo's nodeForPa endpoint (NODE_FOR_PA_URL). */
  url: string;
  password: string;
  subscriptionKey?: string;
  timeoutMs: number;
  retries: number;
}

const WSDL = fileURLToPath(new URL("./node-for-pa-reporting.wsdl", import.meta.url));

type Operation = "nodoChiediElencoFlussiRendicontazione" | "nodoChiediFlussoRendicontazione";
type AsyncCall = (args: object, options: object) => Promise<[unknown, string, unknown, string]>;

/**
 * Client of the Nodo's nodeForPa reporting pair through the `soap` package, from PontePA's own
 * WSDL of the two operations (element order and facets as pagoPA's). The raw answer is read by
 * reconciliation's FdR 1 reader, which also turns a fault into a refusal. Reads only: a timeout,
 * network error or 5xx is retried with back-off.
 */
export function createNodeForPaReportingClient(config: NodeForPaClientConfig, logger: Logger): ReportingSource {
  let client: Promise<soap.Client> | null = null;
  const getClient = () =>
    (client ??= soap.createClientAsync(WSDL, { endpoint: config.url, disableCache: false }).catch((err: unknown) => {
      client = null;
      throw err;
    }));

  async function call(operation: Operation, args: Record<string, string>): Promise<ReportingDocument> {
    const c = await getClient();
    const fn = (c as unknown as Record<string, AsyncCall>)[`${operation}Async`]!;
    for (let i = 0; ; i++) {
      try {
        const [, raw] = await fn.call(c, args, {
          timeout: config.timeoutMs,
          headers: config.subscriptionKey ? { "Ocp-Apim-Subscription-Key": config.subscriptionKey } : {},
        });
        const doc = readReportingDocument(Buffer.from(raw));
        if (doc.kind === "refused") throw new AppError("REPORTING_FLOW_INVALID", `${operation}: ${doc.reason}`, 502);
        return doc;
      } catch (err) {
        const status = (err as { response?: { status?: number } }).response?.status;
        const retryable = !(err instanceof AppError) && (status === undefined || status >= 500 || status === 429);
        if (!retryable) throw err;
        if (i >= config.retries)
          throw new AppError(
            "REPORTING_SOURCE_UNAVAILABLE",
            `${operation}: ${(err as Error).message} after ${i + 1} attempts`,
            503,
          );
        logger.warn({ attempt: i + 1, operation, reason: (err as Error).message }, "retrying nodeForPa");
        await sleep(Math.min(200 * 2 ** i, 5_000));
      }
    }
  }

  const base = (r: ReportingRequester) => ({
    identificativoIntermediarioPA: r.intermediaryFiscalCode,
    identificativoStazioneIntermediarioPA: r.stationCode,
    password: config.password,
    identificativoDominio: r.fiscalCode,
  });

  return {
    name: "nodeForPa",
    async listFlows(requester): Promise<ListedFlow[]> {
      const doc = await call("nodoChiediElencoFlussiRendicontazione", base(requester));
      if (doc.kind !== "flow-list") throw new AppError("REPORTING_FLOW_INVALID", `list answered a ${doc.kind}`, 502);
      return doc.flows;
    },
    async getFlow(requester, listed) {
      const doc = await call("nodoChiediFlussoRendicontazione", {
        ...base(requester),
        ...(listed.pspId ? { identificativoPSP: listed.pspId } : {}),
        identificativoFlusso: listed.flowId,
      });
      if (doc.kind !== "flow") throw new AppError("REPORTING_FLOW_INVALID", `flow answered a ${doc.kind}`, 502);
      return doc.flow;
    },
  };
}
