import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import path from "node:path";
import { AcaArchive } from "./aca/aca-archive.ts";

export interface PaidTransfer {
  idTransfer: number;
  fiscalCodePA: string;
  amountCents: number;
}

/** A payment the simulator's PSPs made (and the receipt it sent). */
export interface PaymentRecord {
  receiptId: string;
  idPA: string;
  nav: string;
  iuv: string;
  amountCents: number;
  idPSP: string;
  standIn: boolean;
  paidAt: string;
  transfers: PaidTransfer[];
  /** What our station answered to the receipt (OK or its fault code), and how many sends it took. */
  receiptAnswer: string;
  sends: number;
  /** The receipt as pagoPA's biz-events service records it (CtReceiptModelResponse), served by /bizevents. */
  bizReceipt?: Record<string, unknown>;
}

export interface FlowRecord {
  flowId: string;
  idPSP: string;
  creditorFiscalCode: string;
  date: string;
  settlementId: string;
  xml: string;
  totalCents: number;
  count: number;
  /** FdR revision: 1 when published, +1 each time the PSP corrects it (POST /admin/fdr/revise). */
  revision?: number;
}

/**
 * The simulator's memory, kept in JSON files under its data folder so that flows and payments
 * survive a restart of the demo.
 */
export class SimulatorStore {
  payments: PaymentRecord[] = [];
  flows: FlowRecord[] = [];
  /** The simulator's clock for payments (a test replaying a month sets it day by day). */
  now: () => Date = () => new Date();
  /** pagoPA's ACA archive (the councils' notices, for Stand-In). */
  readonly aca: AcaArchive;

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    this.aca = new AcaArchive(dir);
    this.payments = this.load("payments.json");
    this.flows = this.load("flows.json");
  }

  private load<T>(file: string): T[] {
    const full = path.join(this.dir, file);
    return existsSync(full) ? (JSON.parse(readFileSync(full, "utf8")) as T[]) : [];
  }

  addPayment(p: PaymentRecord): void {
    this.payments.push(p);
    writeFileSync(path.join(this.dir, "payments.json"), JSON.stringify(this.payments, null, 1));
  }

  addFlows(flows: FlowRecord[]): void {
    this.flows.push(...flows);
    writeFileSync(path.join(this.dir, "flows.json"), JSON.stringify(this.flows, null, 1));
  }

  /** Replaces a flow by its new revision (the Nodo serves only a flow's latest revision). */
  replaceFlow(revised: FlowRecord): void {
    const i = this.flows.findIndex((f) => f.flowId === revised.flowId && f.idPSP === revised.idPSP);
    if (i >= 0) this.flows[i] = revised;
    writeFileSync(path.join(this.dir, "flows.json"), JSON.stringify(this.flows, null, 1));
  }
}
