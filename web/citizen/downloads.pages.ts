import { Router } from "express";
import { downloadCartNotice, downloadCheckoutNotice } from "../../server/checkout/index.ts";
import { renderReceiptPdfByAccessToken } from "../../server/receipts/index.ts";
import { sendPdf } from "../../server/platform/http/send-pdf.ts";
import { cartIdOf, type CitizenContext } from "./citizen.context.ts";

/**
 * PDF downloads of the portal. Each route's access check is a secret the citizen already holds:
 * the cart cookie (notices in their cart), the checkout id of their payment (notices they tried
 * to pay, to pay them later at any PSP), the receipt's access token. A notice names its debtor,
 * so it is given only to a visitor who showed they know the debtor (`server/checkout/`).
 */
export function downloadPages(ctx: CitizenContext): Router {
  const router = Router();

  router.get("/carrello/avvisi/:nav", async (req, res) => {
    sendPdf(res, await downloadCartNotice(ctx.checkout, cartIdOf(req), req.params.nav));
  });

  router.get("/esito/:checkoutId/avvisi/:nav", async (req, res) => {
    sendPdf(res, await downloadCheckoutNotice(ctx.checkout, req.params.checkoutId, req.params.nav));
  });

  router.get("/ricevute/:token/pdf", async (req, res) => {
    sendPdf(res, await renderReceiptPdfByAccessToken({ db: ctx.deps.db, pdf: ctx.deps.pdf }, req.params.token));
  });

  return router;
}
