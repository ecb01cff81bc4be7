import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import express, { Router } from "express";
import Handlebars from "handlebars";
import { z } from "zod";
import type { SimulatorContext } from "./context.ts";
import { payNotice } from "./payment-flow.ts";
import { PSPS, euro, toCents } from "./station-client.ts";

// pagoPA Checkout EC API v2 (POST /carts), amounts in cents.
const cartSchema = z.object({
  emailNotice: z.email().optional(),
  paymentNotices: z
    .array(
      z.object({
        noticeNumber: z.string().regex(/^\d{18}$/),
        fiscalCode: z.string().regex(/^\d{11}$/),
        amount: z.number().int().min(1),
        companyName: z.string().max(140),
        description: z.string().max(140),
      }),
    )
    .min(1)
    .max(5),
  returnUrls: z.object({
    returnOkUrl: z.string(),
    returnCancelUrl: z.string(),
    returnErrorUrl: z.string(),
    returnWaitingUrl: z.string(),
  }),
  idCart: z.string().optional(),
  allCCP: z.union([z.boolean(), z.enum(["true", "false"])]).optional(),
});

interface CartState {
  id: string;
  request: z.infer<typeof cartSchema>;
  notices: Array<{
    noticeNumber: string;
    fiscalCode: string;
    companyName: string;
    description: string;
    amountCents: number;
    payable: boolean;
    problem?: string;
  }>;
  status: "OPEN" | "PAID" | "CANCELLED" | "ERROR";
}

const page = Handlebars.compile(readFileSync(path.join(import.meta.dirname, "views/checkout.hbs"), "utf8"));

/** Plays pagoPA Checkout: the cart API, the hosted payment page, and the return to the portal. */
export function checkoutRoutes(ctx: SimulatorContext): Router {
  const router = Router();
  const carts = new Map<string, CartState>();

  const createCart: express.RequestHandler = async (req, res) => {
    if (ctx.config.NODO_SIM_CHECKOUT_KEY && req.get("ocp-apim-subscription-key") !== ctx.config.NODO_SIM_CHECKOUT_KEY) {
      return res.status(401).json({ title: "Unauthorized", status: 401, detail: "Invalid subscription key" });
    }
    const parsed = cartSchema.safeParse(req.body);
    if (!parsed.success)
      return res
        .status(400)
        .json({ type: "about:blank", title: "Bad Request", status: 400, detail: parsed.error.message });
    const id = randomBytes(12).toString("hex");
    // As Checkout does, every notice is verified before the payment page is shown.
    const notices = await Promise.all(
      parsed.data.paymentNotices.map(async (n) => {
        const v = await ctx.station.verify(n.fiscalCode, n.noticeNumber);
        const options = v.payload.paymentList as { paymentOptionDescription?: { amount?: string } } | undefined;
        const verified = options?.paymentOptionDescription?.amount;
        return {
          ...n,
          amountCents: verified ? toCents(verified) : n.amount,
          payable: v.ok,
          problem: v.ok ? undefined : (v.faultCode ?? v.lost),
        };
      }),
    );
    carts.set(id, { id, request: parsed.data, notices, status: "OPEN" });
    ctx.log("info", `cart ${id}: ${notices.length} notice(s)`);
    res.redirect(302, `${ctx.config.NODO_SIM_PUBLIC_URL}/checkout/pay/${id}`);
  };
  router.post(["/checkout/ec/v2/carts", "/carts"], express.json({ limit: "64kb" }), createCart);

  router.get("/checkout/pay/:id", (req, res) => {
    const cart = carts.get(req.params.id);
    if (!cart)
      return res
        .status(404)
        .type("html")
        .send(page({ missing: true }));
    const total = cart.notices.reduce((s, n) => s + n.amountCents, 0);
    res.type("html").send(
      page({
        cart,
        total: euro(total).replace(".", ","),
        notices: cart.notices.map((n) => ({ ...n, amount: euro(n.amountCents).replace(".", ",") })),
        psps: PSPS.map((p, i) => ({ ...p, fee: euro(p.feeCents).replace(".", ","), checked: i === 0 })),
        payable: cart.status === "OPEN" && cart.notices.every((n) => n.payable),
      }),
    );
  });

  router.post("/checkout/pay/:id", express.urlencoded({ extended: false, limit: "8kb" }), async (req, res) => {
    const cart = carts.get(req.params.id);
    if (!cart)
      return res
        .status(404)
        .type("html")
        .send(page({ missing: true }));
    const urls = cart.request.returnUrls;
    if (req.body?.action === "cancel") {
      cart.status = "CANCELLED";
      return res.redirect(303, urls.returnCancelUrl);
    }
    if (cart.status !== "OPEN")
      return res.redirect(303, cart.status === "PAID" ? urls.returnOkUrl : urls.returnErrorUrl);
    const psp = PSPS.find((p) => p.idPSP === req.body?.psp) ?? PSPS[0]!;
    let allOk = true;
    for (const n of cart.notices) {
      const result = await payNotice(
        ctx.station,
        ctx.store,
        { idPA: n.fiscalCode, nav: n.noticeNumber, psp },
        ctx.faults.take(),
      );
      ctx.log(
        result.ok ? "info" : "warn",
        `checkout ${cart.id} ${n.noticeNumber}: ${result.ok ? "paid" : result.error}`,
        { steps: result.steps },
      );
      allOk &&= result.ok;
    }
    cart.status = allOk ? "PAID" : "ERROR";
    res.redirect(303, allOk ? urls.returnOkUrl : urls.returnErrorUrl);
  });

  return router;
}
