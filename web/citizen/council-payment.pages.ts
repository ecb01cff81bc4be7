import { Router } from "express";
import { councilReturnFor } from "../../server/checkout/index.ts";
import { AppError } from "../../server/platform/errors.ts";
import type { CitizenContext } from "./citizen.context.ts";

/**
 * Where pagoPA Checkout returns a citizen who paid from a council's portal (OTF): straight back
 * to the council's URL for that outcome, the one registered when the payment started; the
 * query string chooses only the outcome, never the address.
 */
export function councilPaymentPages(ctx: CitizenContext): Router {
  const router = Router();
  router.get("/pagamenti/esito-ente/:paymentId", async (req, res) => {
    const target = await councilReturnFor(ctx.checkout, req.params.paymentId, req.query.esito);
    if (!target) throw new AppError("NOT_FOUND", "Pagamento non trovato", 404);
    res.redirect(303, target);
  });
  return router;
}
