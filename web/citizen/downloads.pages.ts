import { Router } from "express";
import { AppError } from "../../server/platform/errors.ts";
import { renderNoticeByNav } from "../../server/notices/index.ts";
import { renderReceiptPdfByAccessToken } from "../../server/receipts/index.ts";
import { readCookie } from "../shared/csrf.ts";
import { sendPdf } from "../../server/platform/http/send-pdf.ts";
import { CART_COOKIE, type CitizenContext } from "./citizen.context.ts";
import type { Cart } from "./cart.store.ts";

/**
 * PDF downloads of the portal. Each route's access check is a secret the citizen already holds:
 * the cart cookie (notices in their cart), the checkout id of their payment (notices they tried
 * to pay, to pay them later at any PSP), the receipt's access token. A NAV outside that set is
 * "not found", whoever's it is.
 */
export function downloadPages(ctx: CitizenContext): Router {
  const router = Router();
  const deps = { db: ctx.deps.db, pdf: ctx.deps.pdf };

  async function noticeOf(cart: Cart | undefined, nav: string) {
    const item = cart?.items.find((i) => i.nav === nav);
    if (!item) throw new AppError("NOT_FOUND", "Avviso non trovato", 404);
    return renderNoticeByNav(deps, item.tenantId, nav);
  }

  router.get("/carrello/avvisi/:nav", async (req, res) => {
    const cart = await ctx.carts.get(readCookie(req.headers.cookie, CART_COOKIE));
    sendPdf(res, await noticeOf(cart, req.params.nav));
  });

  router.get("/esito/:checkoutId/avvisi/:nav", async (req, res) => {
    sendPdf(res, await noticeOf(await ctx.carts.submitted(req.params.checkoutId), req.params.nav));
  });

  router.get("/ricevute/:token/pdf", async (req, res) => {
    sendPdf(res, await renderReceiptPdfByAccessToken(deps, req.params.token));
  });

  return router;
}
