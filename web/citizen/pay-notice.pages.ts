import { Router } from "express";
import { z } from "zod";
import { findTenantByFiscalCode } from "../../server/tenancy/index.ts";
import { verifyPaymentNotice } from "../../server/positions/index.ts";
import { AppError } from "../../server/platform/errors.ts";
import { isPayable } from "./catalog.pages.ts";
import { addToCart } from "./cart.pages.ts";
import type { CitizenContext } from "./citizen.context.ts";

const lookupSchema = z.object({
  nav: z.string().transform((s) => s.replace(/[\s-]/g, "")).pipe(z.string().regex(/^\d{18}$/, "Il codice avviso ha 18 cifre")),
  creditorFiscalCode: z.string().transform((s) => s.trim()).pipe(z.string().regex(/^\d{11}$/, "Il codice fiscale dell'ente ha 11 cifre")),
});

/** Why a notice cannot be paid, in the citizen's words. */
const REASONS: Record<string, string> = {
  NOTICE_UNKNOWN: "Non troviamo questo avviso: controlla il codice avviso e il codice fiscale dell'ente.",
  NOTICE_PAID: "Questo avviso risulta già pagato.",
  NOTICE_CANCELLED: "Questo avviso è stato annullato dall'ente.",
  NOTICE_EXPIRED: "Questo avviso è scaduto e non può più essere pagato.",
  NOTICE_IN_PROGRESS: "È già in corso un pagamento di questo avviso: riprova tra qualche minuto.",
};

/** "Paga un avviso": the live amount of a notice, verified through the rules the Nodo sees. */
export function payNoticePages(ctx: CitizenContext): Router {
  const router = Router();
  const production = ctx.deps.config.NODE_ENV === "production";

  async function lookup(body: unknown) {
    const parsed = lookupSchema.safeParse(body);
    if (!parsed.success) {
      return { errors: Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])) };
    }
    const tenant = await findTenantByFiscalCode(ctx.deps.db, parsed.data.creditorFiscalCode);
    if (!tenant || !isPayable(tenant, production)) return { reason: REASONS.NOTICE_UNKNOWN };
    try {
      const notice = await verifyPaymentNotice(ctx.deps.db, ctx.deps.amountRules, tenant, parsed.data.nav);
      return { tenant, notice };
    } catch (err) {
      if (err instanceof AppError && REASONS[err.code]) return { reason: REASONS[err.code] };
      throw err;
    }
  }

  router.get("/paga-avviso", (_req, res) => {
    res.render("citizen/views/pay-notice", { title: "Paga un avviso", values: {}, errors: {} });
  });

  router.post("/paga-avviso", async (req, res) => {
    const found = await lookup(req.body);
    const status = found.notice ? 200 : 422;
    res.status(status).render("citizen/views/pay-notice", { title: "Paga un avviso", values: req.body ?? {}, ...found, errors: found.errors ?? {} });
  });

  router.post("/paga-avviso/aggiungi", async (req, res) => {
    const found = await lookup(req.body);
    if (!found.notice || !found.tenant) {
      return res.status(422).render("citizen/views/pay-notice", { title: "Paga un avviso", values: req.body ?? {}, ...found, errors: found.errors ?? {} });
    }
    await addToCart(ctx, req, res, {
      tenantId: found.tenant.id,
      ipaCode: found.tenant.ipaCode,
      creditorFiscalCode: found.tenant.fiscalCode,
      companyName: found.tenant.name,
      nav: found.notice.nav,
      amountCents: found.notice.amountCents,
      description: found.notice.description.slice(0, 140),
    });
    res.redirect(303, "/carrello");
  });

  return router;
}
