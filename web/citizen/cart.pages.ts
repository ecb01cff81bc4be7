import { Router, type Request, type Response } from "express";
import { z } from "zod";
import { AppError } from "../../server/platform/errors.ts";
import { getNoticePaymentStatus } from "../../server/positions/index.ts";
import { getReceiptByAccessToken } from "../../server/receipts/get-receipt-by-access-token.ts";
import { readCookie } from "../shared/csrf.ts";
import { rememberReceiptRecipient } from "../../server/notifications/index.ts";
import { CART_COOKIE, type CitizenContext } from "./citizen.context.ts";
import type { CartItem } from "./cart.store.ts";

function cartId(ctx: CitizenContext, req: Request): string | undefined {
  const id = readCookie(req.headers.cookie, CART_COOKIE);
  return ctx.carts.isId(id) ? id : undefined;
}

/** The visitor's cart id, creating one (and its cookie) on first use. */
function ensureCartId(ctx: CitizenContext, req: Request, res: Response): string {
  const existing = cartId(ctx, req);
  if (existing) return existing;
  const id = ctx.carts.newId();
  res.cookie(CART_COOKIE, id, { httpOnly: true, sameSite: "lax", secure: ctx.secureCookies, path: "/", maxAge: 24 * 3600_000 });
  return id;
}

/** Adds a notice to the visitor's cart, creating the cart (and its cookie) on first use. */
export async function addToCart(ctx: CitizenContext, req: Request, res: Response, item: CartItem): Promise<void> {
  const id = ensureCartId(ctx, req, res);
  const result = await ctx.carts.add(id, item);
  if (result.full) throw new AppError("CART_FULL", "Il carrello contiene già 5 avvisi: paga questi prima di aggiungerne altri", 409);
}

const OUTCOMES = { ok: "ok", annullato: "annullato", errore: "errore", attesa: "attesa" } as const;

/** Cart, payment through pagoPA Checkout, and the result page. */
export function cartPages(ctx: CitizenContext): Router {
  const router = Router();
  const base = ctx.deps.config.PUBLIC_BASE_URL.replace(/\/+$/, "");

  router.get("/carrello", async (req, res) => {
    const cart = await ctx.carts.get(cartId(ctx, req));
    const total = cart.items.reduce((s, i) => s + i.amountCents, 0);
    res.render("citizen/views/cart", { title: "Carrello", items: cart.items, total, full: cart.items.length >= 5 });
  });

  router.post("/carrello/rimuovi", async (req, res) => {
    const nav = z.string().regex(/^\d{18}$/).safeParse(req.body?.nav);
    const id = cartId(ctx, req);
    if (id && nav.success) await ctx.carts.remove(id, nav.data);
    res.redirect(303, "/carrello");
  });

  router.post("/carrello/paga", async (req, res) => {
    const id = cartId(ctx, req);
    const cart = await ctx.carts.get(id);
    if (!id || cart.items.length === 0) return res.redirect(303, "/carrello");
    const email = z.email().safeParse(typeof req.body?.email === "string" ? req.body.email.trim() : "");
    if (email.success) {
      // Receipts arrive later through the Nodo (before the citizen is back, at times): the worker
      // mails each one to this address.
      await Promise.all(cart.items.map((i) => rememberReceiptRecipient(ctx.deps.redis, ctx.deps.config.QUEUE_PREFIX, i.tenantId, i.nav, email.data)));
    }
    const checkoutId = ctx.carts.newId();
    const back = (outcome: keyof typeof OUTCOMES) => `${base}/esito/${checkoutId}?esito=${outcome}`;
    const { checkoutUrl } = await ctx.checkout.createCart({
      paymentNotices: cart.items.map((i) => ({
        noticeNumber: i.nav,
        fiscalCode: i.creditorFiscalCode,
        amount: i.amountCents,
        companyName: i.companyName.slice(0, 140),
        description: i.description.slice(0, 140),
      })),
      returnUrls: { returnOkUrl: back("ok"), returnCancelUrl: back("annullato"), returnErrorUrl: back("errore"), returnWaitingUrl: back("attesa") },
      idCart: checkoutId.slice(0, 35),
      ...(email.success ? { emailNotice: email.data } : {}),
    });
    await ctx.carts.submit(id, checkoutId);
    res.redirect(303, checkoutUrl);
  });

  async function statuses(checkoutId: string) {
    const cart = await ctx.carts.submitted(checkoutId);
    if (!cart) throw new AppError("NOT_FOUND", "Pagamento non trovato", 404);
    const rows = await Promise.all(
      cart.items.map(async (item) => ({ item, status: await getNoticePaymentStatus(ctx.deps.db, item.tenantId, item.nav) })),
    );
    return { rows, allPaid: rows.every((r) => r.status.status === "PAID"), total: cart.items.reduce((s, i) => s + i.amountCents, 0) };
  }

  router.get("/esito/:checkoutId", async (req, res) => {
    const outcome = OUTCOMES[String(req.query.esito) as keyof typeof OUTCOMES] ?? "attesa";
    const { rows, allPaid, total } = await statuses(req.params.checkoutId);
    const waiting = !allPaid && (outcome === "ok" || outcome === "attesa");
    res.render("citizen/views/result", {
      title: allPaid ? "Pagamento completato" : "Esito del pagamento",
      rows,
      total,
      allPaid,
      waiting,
      cancelled: outcome === "annullato" && !allPaid,
      failed: outcome === "errore" && !allPaid,
      checkoutId: req.params.checkoutId,
      scripts: waiting ? ["/assets/app/result-poll.js"] : [],
    });
  });

  // "Riprova" after a payment cancelled or refused in Checkout: starting Checkout emptied the cart,
  // so the notices of that attempt not paid go back into it, and the citizen lands on
  // its payment section.
  router.post("/esito/:checkoutId/riprova", async (req, res) => {
    const { rows } = await statuses(req.params.checkoutId);
    const id = ensureCartId(ctx, req, res);
    for (const { item, status } of rows) {
      if (status.status !== "PAID") await ctx.carts.add(id, item);
    }
    res.redirect(303, "/carrello#pagamento");
  });

  // Polled by result-poll.js while a receipt is awaited (the page also has a reload button).
  router.get("/esito/:checkoutId/stato", async (req, res) => {
    const { allPaid } = await statuses(req.params.checkoutId);
    res.json({ allPaid });
  });

  // The payer's receipt, reachable by the unguessable link of the result page and the e-mail.
  router.get("/ricevute/:token", async (req, res) => {
    const receipt = await getReceiptByAccessToken(ctx.deps.db, req.params.token);
    if (!receipt) throw new AppError("NOT_FOUND", "Ricevuta non trovata", 404);
    res.set({ "Cache-Control": "private, no-store", "X-Robots-Tag": "noindex" }).render("citizen/views/receipt", { title: "Ricevuta di pagamento", receipt, token: req.params.token });
  });

  return router;
}
