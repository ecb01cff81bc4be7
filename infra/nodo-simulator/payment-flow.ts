import { setTimeout as sleep } from "node:timers/promises";
import type { FaultPlan } from "./faults.ts";
import type { SimulatorStore, PaymentRecord } from "./store.ts";
import { bizReceipt } from "./bizevents/biz-receipt.ts";
import { standInData } from "./aca/aca-archive.ts";
import {
  newReceiptId,
  receiptXml,
  toCents,
  type Psp,
  type ReceiptInput,
  type StationAnswer,
  type StationClient,
  type TransferData,
} from "./station-client.ts";

export interface PayResult {
  ok: boolean;
  steps: Array<{ operation: string; outcome: string; ms: number }>;
  payment?: PaymentRecord;
  /** Why the payment failed, for the PSP's screen and the logs. */
  error?: string;
}

const outcomeOf = (a: StationAnswer) => (a.lost ? `LOST (${a.lost})` : a.ok ? "OK" : (a.faultCode ?? "KO"));
const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Data of notices seen in a getPayment, for Stand-In receipts (pagoPA's archive plays this role). */
const archive = new Map<string, Record<string, unknown>>();

/**
 * Pays one notice at a PSP the way the Nodo drives a station: paVerifyPaymentNotice, then
 * paGetPaymentV2 (the activation), then paSendRTV2 with the receipt, applying the fault plan.
 */
export async function payNotice(
  station: StationClient,
  store: SimulatorStore,
  input: { idPA: string; nav: string; psp: Psp },
  faults: FaultPlan,
): Promise<PayResult> {
  const steps: PayResult["steps"] = [];
  const track = (a: StationAnswer) => {
    steps.push({ operation: a.operation, outcome: outcomeOf(a), ms: Math.round(a.ms) });
    return a;
  };
  const pause = () => (faults.delayMs ? sleep(faults.delayMs) : Promise.resolve());
  const key = `${input.idPA}/${input.nav}`;

  // As at pagoPA, the activation's payment token is the receipt's receiptId (the IUR).
  const receiptId = newReceiptId();
  let data: Record<string, unknown> | undefined;
  const aca = faults.standIn ? store.aca.findNotice(input.idPA, input.nav) : null;
  if (aca) {
    // In Stand-In the Nodo answers from pagoPA's ACA archive, which the council keeps aligned:
    // no verify or activation reaches the station; an invalidated notice cannot be paid.
    if (aca.record.status !== "VALID")
      return { ok: false, steps, error: "PPT_PAGAMENTO_SCONOSCIUTO: the notice is not valid in the ACA archive" };
    data = standInData(aca.record, aca.option);
  } else if (faults.standIn) {
    // A notice the council never sent to the ACA archive: as before the ACA endpoints existed,
    // the simulator fills its own copy from earlier activations, or from one activation now.
    data = archive.get(key);
    if (!data) {
      const load = await station.getPaymentV2(input.idPA, input.nav);
      if (!load.ok)
        return { ok: false, steps, error: `Stand-In: notice not in the archive (${load.faultCode ?? load.lost})` };
      data = load.payload.data as Record<string, unknown>;
    }
  } else {
    await pause();
    const verify = track(await station.verify(input.idPA, input.nav, { timeoutMs: faults.verifyTimeoutMs }));
    if (!verify.ok) return { ok: false, steps, error: verify.lost ? "PPT_STAZIONE_INT_PA_TIMEOUT" : verify.faultCode };
    await pause();
    const activation = track(await station.getPaymentV2(input.idPA, input.nav, undefined, receiptId));
    if (!activation.ok) return { ok: false, steps, error: activation.faultCode ?? activation.lost };
    data = activation.payload.data as Record<string, unknown>;
    archive.set(key, data);
  }

  const debtor = data.debtor as { uniqueIdentifier: Record<string, string>; fullName: string };
  const transfers = asArray((data.transferList as { transfer: TransferData[] }).transfer);
  const amountCents = toCents(data.paymentAmount);
  const paidAt = store.now();
  // One receipt: what paSendRTV2 delivers and what biz-events records are the same payment.
  const receipt: ReceiptInput = {
    receiptId,
    idPA: input.idPA,
    nav: input.nav,
    iuv: String(data.creditorReferenceId),
    amountCents,
    description: String(data.description),
    companyName: String(data.companyName ?? input.idPA),
    debtor: {
      type: debtor.uniqueIdentifier.entityUniqueIdentifierType!,
      value: debtor.uniqueIdentifier.entityUniqueIdentifierValue!,
      fullName: debtor.fullName,
    },
    transfers,
    psp: input.psp,
    standIn: Boolean(faults.standIn),
    paidAt,
  };
  const xml = receiptXml(receipt);

  await pause();
  let sends = 1;
  let answer: StationAnswer;
  if (faults.lostReceipt) {
    // The money is taken and pagoPA records the receipt, but paSendRTV2 never reaches the station.
    sends = 0;
    answer = { operation: "paSendRTV2", ok: false, lost: "never sent", ms: 0, payload: {} };
  } else if (faults.concurrentReceipts) {
    const all = await Promise.all(
      Array.from({ length: faults.concurrentReceipts }, () => station.sendRTV2(input.idPA, xml)),
    );
    all.forEach(track);
    sends = all.length;
    answer = all.find((a) => a.ok) ?? all[0]!;
  } else {
    answer = track(await station.sendRTV2(input.idPA, xml));
    // A lost answer and explicit retries both make the Nodo send the same receipt again.
    const again = (faults.loseReceiptAnswer ? 1 : 0) + (faults.receiptRetries ?? 0);
    for (let i = 0; i < again; i++) {
      const retry = track(await station.sendRTV2(input.idPA, xml));
      sends++;
      if (!answer.ok || faults.loseReceiptAnswer) answer = retry;
    }
  }
  // PAA_RECEIPT_DUPLICATA means the station already has it: delivered. A lost receipt is paid
  // for the citizen and the PSP all the same (the station must recover it from biz-events).
  const delivered = answer.ok || answer.faultCode === "PAA_RECEIPT_DUPLICATA" || Boolean(faults.lostReceipt);
  const payment: PaymentRecord = {
    receiptId,
    idPA: input.idPA,
    nav: input.nav,
    iuv: String(data.creditorReferenceId),
    amountCents,
    idPSP: input.psp.idPSP,
    standIn: Boolean(faults.standIn),
    paidAt: paidAt.toISOString(),
    transfers: transfers.map((t) => ({
      idTransfer: Number(t.idTransfer),
      fiscalCodePA: t.fiscalCodePA,
      amountCents: toCents(t.transferAmount),
    })),
    receiptAnswer: outcomeOf(answer),
    sends,
    bizReceipt: bizReceipt(receipt),
  };
  // The money was taken at the PSP: the payment counts for reporting even if the receipt failed.
  store.addPayment(payment);
  return { ok: delivered, steps, payment, error: delivered ? undefined : `receipt not accepted: ${outcomeOf(answer)}` };
}
