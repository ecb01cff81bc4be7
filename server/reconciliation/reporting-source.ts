import type { ListedFlow, ReportingFlowData } from "./reporting-document.ts";

/** Who asks pagoPA for a council's flows: the council and the station/intermediary it goes through. */
export interface ReportingRequester {
  fiscalCode: string;
  stationCode: string;
  intermediaryFiscalCode: string;
}

/**
 * The port through which reconciliation gets flows from pagoPA (FdR 3 REST or the nodeForPa SOAP
 * pair); the clients live in nodo/reporting/ and come in through the caller.
 */
export interface ReportingSource {
  readonly name: string;
  listFlows(requester: ReportingRequester): Promise<ListedFlow[]>;
  getFlow(requester: ReportingRequester, flow: ListedFlow): Promise<ReportingFlowData>;
}
