import { Router } from "express";
import { z } from "zod";
import {
  CHECKOUT_OUTCOMES,
  getCheckoutResult,
  removeFromCart,
  retryCheckout,
  startCheckout,
  viewCart,
} from "../../server/checkout/index.ts";
import { getReceiptByAccessToken } from "../../server/receipts/get-receipt-by-access-token.ts";
import { AppError } from "../../server/platform/errors.ts";
import { cartIdOf, citizenOf, keepCart, type CitizenContext } from "./citizen.context.ts";

const removeSchema = z.object({ nav: z.string().regex(/^\d{18}$/) });
const paySchema = z.object({
  email: z
    .string()
    .default("")
    .transform((s) => s.trim())
    .pipe(
      z.union([
        z.literal(""),
        z.email("Indirizzo e-mail non valido: controlla di averlo scritto per intero, ad esempio nome@esempio.it"),
      ]),
    ),
});
const resultQuery = z.object({
  esito: z.enum(Object.keys(CHECKOUT_OUTCOMES) as [keyof typeof CHECKOUT_OUTCOMES]).catch("attesa"),
});

/** Cart, payment through pagoPA Checkout, and the result page. */
export function cartPages(ctx: CitizenContext): Router {
  const router = Router();

  router.get("/carrello", async (req, res) => {
    const cart = await viewCart(ctx.checkout, cartIdOf(req));
    const email = cart.email ?? citizenOf(res)?.email ?? "";
    res.render("citizen/views/cart", {
      title: "Carrello",
      items: cart.items,
      total: cart.totalCents,
      full: cart.full,
      email,
      errors: {},
    });
  });

  router.post("/carrello/rimuovi", async (req, res) => {
    const body = removeSchema.safeParse(req.body ?? {});
    if (body.success) await removeFromCart(ctx.checkout, cartIdOf(req), body.data.nav);
    res.redirect(303, "/carrello");
  });

  router.post("/carrello/paga", async (req, res) => {
    const body = paySchema.safeParse(req.body ?? {});
    if (!body.success) {
      const cart = await viewCart(ctx.checkout, cartIdOf(req));
      const message = body.error.issues[0]?.message ?? "Indirizzo e-mail non valido";
      return res.status(422).render("citizen/views/cart", {
        title: "Errore - Carrello",
        items: cart.items,
        total: cart.totalCents,
        full: cart.full,
        email: typeof req.body?.email === "string" ? req.body.email : "",
        errors: { email: message },
        errorList: [{ field: "email", label: "E-mail per ricevere la ricevuta", message }],
      });
    }
    const started = await startCheckout(ctx.checkout, {
      cartId: cartIdOf(req),
      ...(body.data.email ? { email: body.data.email } : {}),
    });
    res.redirect(303, started.started ? started.checkoutUrl : "/carrello");
  });

  router.get("/esito/:checkoutId", async (req, res) => {
    const outcome = resultQuery.parse(req.query).esito;
    const { rows, allPaid, totalCents } = await getCheckoutResult(ctx.checkout, req.params.checkoutId);
    const waiting = !allPaid && (outcome === "ok" || outcome === "attesa");
    res.render("citizen/views/result", {
      title: allPaid ? "Pagamento completato" : "Esito del pagamento",
      rows,
      total: totalCents,
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
  // "Riprova" after a payment cancelled or refused in Checkout: the attempt's unpaid notices go
  // back into the cart, and the citizen lands on its payment section.
  router.post("/esito/:checkoutId/riprova", async (req, res) => {
    const retried = await retryCheckout(ctx.checkout, cartIdOf(req), req.params.checkoutId);
    keepCart(ctx, res, retried);
    res.redirect(303, "/carrello#pagamento");
  });

  // Polled by result-poll.js while a receipt is awaited (the page also has a reload button).
  router.get("/esito/:checkoutId/stato", async (req, res) => {
    const { allPaid } = await getCheckoutResult(ctx.checkout, req.params.checkoutId);
    res.json({ allPaid });
  });

  // The payer's receipt, reachable by the unguessable link of the result page and the e-mail.
  router.get("/ricevute/:token", async (req, res) => {
    const receipt = await getReceiptByAccessToken(ctx.deps.db, req.params.token);
    if (!receipt) throw new AppError("NOT_FOUND", "Ricevuta non trovata", 404);
    res
      .set({ "Cache-Control": "private, no-store", "X-Robots-Tag": "noindex" })
      .render("citizen/views/receipt", { title: "Ricevuta di pagamento", receipt, token: req.params.token });
  });

  return router;
}
