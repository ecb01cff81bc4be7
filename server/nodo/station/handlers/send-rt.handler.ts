import type { z } from "zod";
import { isValidNav } from "../../../pagopa/index.ts";
import { MAX_AMOUNT_CENTS, registerReceipt, type ReceiptInput } from "../../../positions/index.ts";
import { receiptInputOf, type CtSubject } from "../../receipt-input.ts";
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

function ctSubject(s: Subject | undefined): CtSubject | null {
  if (!s) return null;
  return { ...s.uniqueIdentifier, ...s, email: s["e-mail"] };
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
  return receiptInputOf({
    ...r,
    pspCompanyName: r.PSPCompanyName,
    payer: ctSubject(r.payer),
    debtor: ctSubject(r.debtor),
    transfers: r.transferList.transfer.map((t) => ({
      ...t,
      iban: t.IBAN,
      mbdAttachment: "MBDAttachment" in t ? t.MBDAttachment : null,
    })),
  });
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
