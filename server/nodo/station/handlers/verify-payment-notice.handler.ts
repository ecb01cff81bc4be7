import { isValidNav, iuvFromNav } from "../../../pagopa/index.ts";
import { verifyPaymentNotice } from "../../../positions/index.ts";
import { StationFault } from "../faults.ts";
import { defineOperation } from "../operation.ts";
import { renderVerify } from "../render.ts";
import { verifyRequest } from "../schemas/requests.schema.ts";

/** Checks shared by the operations addressed by a qrCode (fiscal code + notice number). */
export function qrCodeRule(qr: { noticeNumber: string }): string | null {
  return isValidNav(qr.noticeNumber) ? null : "qrCode.noticeNumber: cifre di controllo errate";
}

export function qrCodeKeys(qr: { noticeNumber: string }) {
  return { nav: qr.noticeNumber, ...(isValidNav(qr.noticeNumber) ? { iuv: iuvFromNav(qr.noticeNumber) } : {}) };
}

/** A notice addressed to another council's fiscal code is unknown to this one. */
export function requireOwnNotice(tenantFiscalCode: string, qr: { fiscalCode: string }): void {
  if (qr.fiscalCode !== tenantFiscalCode) {
    throw new StationFault("PAA_PAGAMENTO_SCONOSCIUTO", "Avviso non emesso dall'ente indicato in idPA");
  }
}

export const verifyPaymentNoticeOperation = defineOperation({
  name: "paVerifyPaymentNotice",
  requestElement: "paVerifyPaymentNoticeReq",
  responseElement: "paVerifyPaymentNoticeRes",
  schema: verifyRequest,
  keys: (r) => qrCodeKeys(r.qrCode),
  extraRules: (r) => qrCodeRule(r.qrCode),
  async handle(ctx, r) {
    requireOwnNotice(ctx.route.tenant.fiscalCode, r.qrCode);
    const view = await verifyPaymentNotice(ctx.deps.db, ctx.deps.amountRules, ctx.route.tenant, r.qrCode.noticeNumber, {
      timeoutMs: ctx.timeoutMs,
    });
    return renderVerify(view);
  },
});
