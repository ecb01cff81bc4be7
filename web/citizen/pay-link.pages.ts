import { Router, type Response } from "express";
import { z } from "zod";
import { findPayableNotice, payLinkKey, readPayLink, type NoticeLookup } from "../../server/checkout/index.ts";
import { formatDateIt } from "../../server/pagopa/index.ts";
import { findTenantByIpaCode } from "../../server/tenancy/index.ts";
import { addFoundNoticeToCart, citizenOf, type CitizenContext } from "./citizen.context.ts";

const tokenParams = z.object({ token: z.string().max(400) });

const INVALID =
  "Questo link di pagamento non è valido: forse è stato copiato solo in parte o modificato. Puoi pagare l'avviso da «Paga un avviso» con il codice avviso e il codice fiscale dell'ente, oppure chiedere all'ente un nuovo link.";
const expired = (at: string) =>
  `Questo link di pagamento è scaduto il ${at}. Puoi pagare l'avviso da «Paga un avviso» con il codice avviso e il codice fiscale dell'ente, oppure chiedere all'ente un nuovo link.`;

/**
 * The signed "pay this notice" link (`/paga/<token>`): the council and notice the signature binds,
 * shown with the live amount, and a button that puts it in the cart for pagoPA Checkout. A link
 * altered or cut short, or past its expiry, gets an Italian page saying so and what to do.
 */
export function payLinkPages(ctx: CitizenContext): Router {
  const router = Router();
  const key = payLinkKey(ctx.deps.config);

  async function open(token: string, res: Response): Promise<NoticeLookup | null> {
    const check = readPayLink(key, token);
    if (!check.ok) {
      const message = check.reason === "expired" ? expiredMessage(token) : INVALID;
      res.status(check.reason === "expired" ? 410 : 400).render("citizen/views/error", {
        title: "Link di pagamento non valido",
        status: check.reason === "expired" ? 410 : 400,
        message,
      });
      return null;
    }
    const tenant = await findTenantByIpaCode(ctx.deps.db, check.link.ipa);
    if (!tenant) {
      res
        .status(400)
        .render("citizen/views/error", { title: "Link di pagamento non valido", status: 400, message: INVALID });
      return null;
    }
    const who = citizenOf(res);
    return findPayableNotice(ctx.checkout, {
      nav: check.link.nav,
      creditorFiscalCode: tenant.fiscalCode,
      signedLink: true,
      ...(who ? { citizenFiscalCode: who.fiscalCode } : {}),
    });
  }

  /** The expiry a correctly signed but expired token names (readPayLink checked the signature). */
  function expiredMessage(token: string): string {
    const payload = JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString("utf8")) as { e: number };
    return expired(formatDateIt(new Date(payload.e * 1000)));
  }

  router.get("/paga/:token", async (req, res) => {
    const { token } = tokenParams.parse(req.params);
    const found = await open(token, res);
    if (!found) return;
    res.status(found.found ? 200 : 422).render("citizen/views/pay-link", {
      title: "Paga un avviso",
      token,
      ...(found.found ? { tenant: found.tenant, notice: found.notice } : { reason: found.reason }),
    });
  });

  router.post("/paga/:token", async (req, res) => {
    const { token } = tokenParams.parse(req.params);
    const found = await open(token, res);
    if (!found) return;
    if (!found.found)
      return res.status(422).render("citizen/views/pay-link", { title: "Paga un avviso", token, reason: found.reason });
    await addFoundNoticeToCart(ctx, req, res, found);
  });

  return router;
}
