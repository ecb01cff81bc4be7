import type { z } from "zod";
import { isValidNav } from "../../../pagopa/index.ts";
import { MAX_AMOUNT_CENTS, registerReceipt, type ReceiptInput } from "../../../positions/index.ts";
import { StationFault } from "../faults.ts";
import { defineOperation, type OperationContext } from "../operation.ts";
import type { subject } from "../schemas/common.schema.ts";
import {
  sendRTRequest,
  sendRTV2Request,
  type SendRTRequest,
  type SendRTV2Request,
} from "../schemas/requests.schema.ts";

type Receipt = SendRTRequest["receipt"] | SendRTV2Request["receipt"];
type Subject = z.output<typeof subject>;

/** A subject as stored on the receipt (JSON), in the platform's own field names. */
function subjectJson(s: Subject | undefined) {
  if (!s) return null;
  return {
    type: s.uniqueIdentifier.entityUniqueIdentifierType,
    fiscalCode: s.uniqueIdentifier.entityUniqueIdentifierValue,
    name: s.fullName,
    streetName: s.streetName ?? null,
    civicNumber: s.civicNumber ?? null,
    postalCode: s.postalCode ?? null,
    city: s.city ?? null,
    province: s.stateProvinceRegion ?? null,
    country: s.country ?? null,
    email: s["e-mail"] ?? null,
  };
}

function receiptRules(r: Receipt): string | null {
  if (r.receiptId.length < 1 || r.receiptId.length > 35) return "receipt.receiptId: da 1 a 35 caratteri";
  if (!isValidNav(r.noticeNumber)) return "receipt.noticeNumber: cifre di controllo errate";
  const ids = r.transferList.transfer.map((t) => t.idTransfer);
  if (new Set(ids).size !== ids.length) return "receipt.transferList: idTransfer ripetuto";
  return null;
}

function toReceiptInput(r: Receipt): ReceiptInput {
  const amounts = [r.paymentAmount, r.fee ?? 0, ...r.transferList.transfer.map((t) => t.transferAmount)];
  if (amounts.some((a) => a > MAX_AMOUNT_CENTS))
    throw new StationFault("PAA_SEMANTICA", "Importo oltre il massimo gestito");
  return {
    receiptId: r.receiptId,
    nav: r.noticeNumber,
    noticeFiscalCode: r.fiscalCode,
    outcome: r.outcome,
    creditorReferenceId: r.creditorReferenceId,
    amountCents: r.paymentAmount,
    feeCents: r.fee ?? null,
    pspId: r.idPSP,
    pspName: r.PSPCompanyName,
    pspFiscalCode: r.pspFiscalCode ?? null,
    channelId: r.idChannel,
    paymentMethod: r.paymentMethod ?? null,
    paymentDateTime: r.paymentDateTime ?? null,
    applicationDate: r.applicationDate ?? null,
    transferDate: r.transferDate ?? null,
    standIn: r.standIn ?? false,
    payer: subjectJson(r.payer),
    debtor: subjectJson(r.debtor),
    transfers: r.transferList.transfer.map((t) => ({
      index: t.idTransfer,
      amountCents: t.transferAmount,
      fiscalCodePA: t.fiscalCodePA,
      iban: t.IBAN ?? null,
      mbdAttachment: "MBDAttachment" in t ? (t.MBDAttachment ?? null) : null,
      remittanceText: t.remittanceInformation,
      category: t.transferCategory,
    })),
  };
}

async function register(ctx: OperationContext, r: Receipt): Promise<string> {
  const stored = await registerReceipt(ctx.deps.db, ctx.route.tenant, toReceiptInput(r), ctx.deps.followUps, {
    timeoutMs: ctx.timeoutMs,
    requestId: ctx.requestId,
  });
  if (stored.doublePayment) {
    ctx.deps.logger.warn(
      { tenantId: ctx.route.tenant.id, receiptId: r.receiptId, nav: r.noticeNumber },
      "receipt for a notice already paid: double payment",
    );
  }
  return "";
}

const keys = (r: Receipt) => ({ nav: r.noticeNumber, iuv: r.creditorReferenceId, receiptId: r.receiptId });

export const sendRTOperation = defineOperation({
  name: "paSendRT",
  requestElement: "paSendRTReq",
  responseElement: "paSendRTRes",
  schema: sendRTRequest,
  keys: (req) => keys(req.receipt),
  extraRules: (req) => receiptRules(req.receipt),
  handle: (ctx, req) => register(ctx, req.receipt),
});

export const sendRTV2Operation = defineOperation({
  name: "paSendRTV2",
  requestElement: "paSendRTV2Request",
  responseElement: "paSendRTV2Response",
  schema: sendRTV2Request,
  keys: (req) => keys(req.receipt),
  extraRules: (req) => receiptRules(req.receipt),
  handle: (ctx, req) => register(ctx, req.receipt),
});
