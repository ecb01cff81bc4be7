import { demandPaymentNotice } from "../../../positions/index.ts";
import { findService, readServiceDocument } from "../../demand/service-catalogue.ts";
import { parseServiceData, ServiceDataError } from "../../demand/service-data.ts";
import { StationFault } from "../faults.ts";
import { defineOperation } from "../operation.ts";
import { renderDemand } from "../render.ts";
import { demandRequest } from "../schemas/requests.schema.ts";

export const demandPaymentNoticeOperation = defineOperation({
  name: "paDemandPaymentNotice",
  requestElement: "paDemandPaymentNoticeRequest",
  responseElement: "paDemandPaymentNoticeResponse",
  schema: demandRequest,
  keys: () => ({}),
  extraRules: () => null,
  async handle(ctx, r) {
    const service = findService(r.idServizio);
    if (!service) throw new StationFault("PAA_SEMANTICA", `Servizio ${r.idServizio} non presente nel catalogo`);
    let data;
    try {
      data = readServiceDocument(
        service,
        parseServiceData(r.datiSpecificiServizioRequest),
        ctx.route.tenant.fiscalCode,
      );
    } catch (err) {
      if (err instanceof ServiceDataError)
        throw new StationFault("PAA_SINTASSI_EXTRAXSD", `datiSpecificiServizioRequest: ${err.message}`);
      throw err;
    }
    const view = await demandPaymentNotice(
      ctx.deps.db,
      ctx.deps.amountRules,
      ctx.route.tenant,
      { paymentTypeCode: service.paymentTypeCode, ...data },
      { timeoutMs: ctx.timeoutMs, requestId: ctx.requestId },
    );
    ctx.found.nav = view.nav;
    ctx.found.iuv = view.iuv;
    return renderDemand(view);
  },
});
