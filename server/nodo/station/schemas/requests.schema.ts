import { z } from "zod";
import {
  amount,
  amountNotZero,
  base64,
  fiscalCodePA,
  idTransfer,
  isoDate,
  isoDateTime,
  metadata,
  noticeNumber,
  outcome,
  qrCode,
  subject,
  text,
  xsdBoolean,
} from "./common.schema.ts";

const routing = { idPA: text(35), idBrokerPA: text(35), idStation: text(35) };

export const verifyRequest = z.strictObject({ ...routing, qrCode });

export const getPaymentRequest = z.strictObject({
  ...routing,
  qrCode,
  amount: amount.optional(),
  paymentNote: text(210).optional(),
  transferType: z.enum(["POSTAL", "PAGOPA"]).optional(),
  dueDate: isoDate.optional(),
});

const transferV1 = z.strictObject({
  idTransfer,
  transferAmount: amountNotZero,
  fiscalCodePA,
  IBAN: text(35),
  remittanceInformation: text(140),
  transferCategory: text(140),
  metadata: metadata.optional(),
});

const transferV2 = z
  .strictObject({
    idTransfer,
    transferAmount: amountNotZero,
    fiscalCodePA,
    companyName: text(140).optional(),
    IBAN: text(35).optional(),
    MBDAttachment: base64.optional(),
    remittanceInformation: text(140),
    transferCategory: text(140),
    metadata: metadata.optional(),
  })
  .refine((t) => (t.IBAN === undefined) !== (t.MBDAttachment === undefined), "IBAN oppure MBDAttachment");

const receiptBase = {
  receiptId: z.string(),
  noticeNumber,
  fiscalCode: fiscalCodePA,
  outcome,
  creditorReferenceId: text(35),
  paymentAmount: amount,
  description: text(140),
  companyName: text(140),
  officeName: text(140).optional(),
  debtor: subject,
  idPSP: text(35),
  pspFiscalCode: text(70).optional(),
  pspPartitaIVA: text(20).optional(),
  PSPCompanyName: text(70),
  idChannel: text(35),
  channelDescription: text(35),
  payer: subject.optional(),
  paymentMethod: text(35).optional(),
  fee: amount.optional(),
  paymentDateTime: isoDateTime.optional(),
  applicationDate: isoDate.optional(),
  transferDate: isoDate.optional(),
  metadata: metadata.optional(),
  standIn: xsdBoolean.optional(),
};

export const sendRTRequest = z.strictObject({
  ...routing,
  receipt: z.strictObject({
    ...receiptBase,
    transferList: z.strictObject({ transfer: z.array(transferV1).min(1).max(5) }),
  }),
});

export const sendRTV2Request = z.strictObject({
  ...routing,
  receipt: z.strictObject({
    ...receiptBase,
    transferList: z.strictObject({ transfer: z.array(transferV2).min(1).max(5) }),
    paymentNote: text(210).optional(),
    primaryCiIncurredFee: amount.optional(),
    idBundle: text(70).optional(),
    idCiBundle: text(70).optional(),
  }),
});

export const demandRequest = z.strictObject({
  ...routing,
  idServizio: z.string().length(5),
  idSoggettoServizio: z.string().length(5),
  datiSpecificiServizioRequest: base64,
});

export type GetPaymentRequest = z.infer<typeof getPaymentRequest>;
export type SendRTRequest = z.infer<typeof sendRTRequest>;
export type SendRTV2Request = z.infer<typeof sendRTV2Request>;
export type RoutingFields = { idPA: string; idBrokerPA: string; idStation: string };
