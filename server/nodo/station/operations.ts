import type { Operation } from "./operation.ts";
import { verifyPaymentNoticeOperation } from "./handlers/verify-payment-notice.handler.ts";
import { getPaymentOperation, getPaymentV2Operation } from "./handlers/get-payment.handler.ts";
import { sendRTOperation, sendRTV2Operation } from "./handlers/send-rt.handler.ts";
import { demandPaymentNoticeOperation } from "./handlers/demand-payment-notice.handler.ts";

/** The paForNode operations this station implements, by request element. */
export const OPERATIONS: ReadonlyMap<string, Operation> = new Map(
  [
    verifyPaymentNoticeOperation,
    getPaymentOperation,
    getPaymentV2Operation,
    sendRTOperation,
    sendRTV2Operation,
    demandPaymentNoticeOperation,
  ].map((op) => [op.requestElement, op as unknown as Operation]),
);
