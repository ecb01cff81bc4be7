import { Router } from "express";
import { listReceipts, receiptSearchSchema } from "../../server/receipts/index.ts";
import type { BackofficeContext } from "./backoffice.context.ts";
import { allow } from "./guards.ts";
import { renderPage } from "./nav.ts";
import { PAYMENT_SEARCH_LABELS } from "./form-labels.ts";
import { fieldErrorsOf, showErrors } from "../shared/form-errors.ts";

/** Incoming payments of a council (receipts from the Nodo), with the period's total. */
export function paymentPages(ctx: BackofficeContext): Router {
  const router = Router({ mergeParams: true });
  router.get("/pagamenti", allow("tenant.read"), async (req, res) => {
    const tenant = res.locals.tenant!;
    const query = receiptSearchSchema.safeParse(req.query);
    const result = query.success ? await listReceipts(ctx.deps.db, tenant.id, query.data) : null;
    const params = new URLSearchParams(
      Object.entries(req.query).filter(([k, v]) => k !== "page" && typeof v === "string" && v !== "") as [
        string,
        string,
      ][],
    );
    renderPage(res, "payments", `/backoffice/enti/${tenant.ipaCode}/pagamenti`, {
      title: "Pagamenti ricevuti",
      q: req.query,
      result,
      ...(query.success
        ? { errors: {}, errorList: [] }
        : showErrors(fieldErrorsOf(query.error), PAYMENT_SEARCH_LABELS)),
      prev: result && result.page > 1 ? `?${params}&page=${result.page - 1}` : null,
      next: result && result.page < result.pages ? `?${params}&page=${result.page + 1}` : null,
    });
  });
  return router;
}
