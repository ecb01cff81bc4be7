import { activatePaymentOption } from "../../../positions/index.ts";
import { defineOperation, type OperationContext } from "../operation.ts";
import { renderPaymentData } from "../render.ts";
import { getPaymentRequest, type GetPaymentRequest } from "../schemas/requests.schema.ts";
import { qrCodeKeys, qrCodeRule, requireOwnNotice } from "./verify-payment-notice.handler.ts";

const TOKEN = /^[\x21-\x7E]{1,35}$/;

/**
 * The activation's payment token. The official request has no token element, so the station
 * reads it from its optional SOAP header `paymentToken` (namespace urn:pontepa:nodo:station:1,
 * declared in the project's WSDL); when absent, each activation counts as a different one.
 */
function paymentTokenOf(ctx: OperationContext): string | undefined {
  const token = ctx.headers.paymentToken?.trim();
  return token && TOKEN.test(token) ? token : undefined;
}

async function activate(ctx: OperationContext, r: GetPaymentRequest, version: 1 | 2): Promise<string> {
  requireOwnNotice(ctx.route.tenant.fiscalCode, r.qrCode);
  const activation = await activatePaymentOption(
    ctx.deps.db,
    ctx.deps.amountRules,
    ctx.route.tenant,
    { nav: r.qrCode.noticeNumber, paymentToken: paymentTokenOf(ctx), ibanOnly: version === 1 },
    { timeoutMs: ctx.timeoutMs },
  );
  return renderPaymentData(activation, version);
}

const common = {
  schema: getPaymentRequest,
  keys: (r: GetPaymentRequest) => qrCodeKeys(r.qrCode),
  extraRules: (r: GetPaymentRequest) => qrCodeRule(r.qrCode),
};

export const getPaymentOperation = defineOperation({
  ...common,
  name: "paGetPayment",
  requestElement: "paGetPaymentReq",
  responseElement: "paGetPaymentRes",
  handle: (ctx, r) => activate(ctx, r, 1),
});

export const getPaymentV2Operation = defineOperation({
  ...common,
  name: "paGetPaymentV2",
  requestElement: "paGetPaymentV2Request",
  responseElement: "paGetPaymentV2Response",
  handle: (ctx, r) => activate(ctx, r, 2),
});
