import type { ReceiptInput } from "../positions/index.ts";

/** A receipt's subject (ctSubject) once read: the identifier flattened, the e-mail as `email`. */
export interface CtSubject {
  entityUniqueIdentifierType: string;
  entityUniqueIdentifierValue: string;
  fullName: string;
  streetName?: string | null;
  civicNumber?: string | null;
  postalCode?: string | null;
  city?: string | null;
  stateProvinceRegion?: string | null;
  country?: string | null;
  email?: string | null;
}

export interface CtTransfer {
  idTransfer: number;
  transferAmount: number;
  fiscalCodePA: string;
  iban?: string | null;
  mbdAttachment?: string | null;
  remittanceInformation: string;
  transferCategory: string;
}

/**
 * A pagoPA receipt (ctReceiptV2) once parsed, in the names paSendRTV2 and the biz-events
 * archive's organisation receipt share: amounts in cents, times as instants. A receipt
 * delivered by paSendRTV2 and one recovered from biz-events both become the stored receipt
 * through receiptInputOf, so the two cannot drift apart.
 */
export interface CtReceipt {
  receiptId: string;
  noticeNumber: string;
  fiscalCode: string;
  outcome: "OK" | "KO";
  creditorReferenceId: string;
  paymentAmount: number;
  fee?: number | null;
  idPSP: string;
  pspCompanyName?: string | null;
  pspFiscalCode?: string | null;
  idChannel?: string | null;
  paymentMethod?: string | null;
  paymentDateTime?: Date | null;
  applicationDate?: Date | null;
  transferDate?: Date | null;
  standIn?: boolean | null;
  payer?: CtSubject | null;
  debtor?: CtSubject | null;
  transfers: CtTransfer[];
}

/** A subject as stored on the receipt (JSON), in the platform's own field names. */
function storedSubject(s: CtSubject | null | undefined) {
  if (!s) return null;
  return {
    type: s.entityUniqueIdentifierType,
    fiscalCode: s.entityUniqueIdentifierValue,
    name: s.fullName,
    streetName: s.streetName ?? null,
    civicNumber: s.civicNumber ?? null,
    postalCode: s.postalCode ?? null,
    city: s.city ?? null,
    province: s.stateProvinceRegion ?? null,
    country: s.country ?? null,
    email: s.email ?? null,
  };
}

/** The receipt registerReceipt stores. */
export function receiptInputOf(r: CtReceipt): ReceiptInput {
  return {
    receiptId: r.receiptId,
    nav: r.noticeNumber,
    noticeFiscalCode: r.fiscalCode,
    outcome: r.outcome,
    creditorReferenceId: r.creditorReferenceId,
    amountCents: r.paymentAmount,
    feeCents: r.fee ?? null,
    pspId: r.idPSP,
    pspName: r.pspCompanyName ?? null,
    pspFiscalCode: r.pspFiscalCode ?? null,
    channelId: r.idChannel ?? null,
    paymentMethod: r.paymentMethod ?? null,
    paymentDateTime: r.paymentDateTime ?? null,
    applicationDate: r.applicationDate ?? null,
    transferDate: r.transferDate ?? null,
    standIn: r.standIn ?? false,
    payer: storedSubject(r.payer),
    debtor: storedSubject(r.debtor),
    transfers: r.transfers.map((t) => ({
      index: t.idTransfer,
      amountCents: t.transferAmount,
      fiscalCodePA: t.fiscalCodePA,
      iban: t.iban ?? null,
      mbdAttachment: t.mbdAttachment ?? null,
      remittanceText: t.remittanceInformation,
      category: t.transferCategory,
    })),
  };
}
