import { Router, type Response } from "express";
import { z } from "zod";
import { findPayableNotice, type NoticeLookup } from "../../server/checkout/index.ts";
import { addFoundNoticeToCart, citizenOf, type CitizenContext } from "./citizen.context.ts";

const spaced = (s: string) => s.replace(/[\s-]/g, "");
const lookupSchema = z.object({
  nav: z
    .string()
    .default("")
    .transform(spaced)
    .pipe(z.string().regex(/^\d{18}$/, "Il codice avviso ha 18 cifre")),
  creditorFiscalCode: z
    .string()
    .default("")
    .transform(spaced)
    .pipe(z.string().regex(/^\d{11}$/, "Il codice fiscale dell'ente ha 11 cifre")),
  debtorFiscalCode: z
    .string()
    .default("")
    .transform((s) => spaced(s).toUpperCase())
    .pipe(
      z.union([
        z.literal(""),
        z
          .string()
          .regex(/^[A-Z0-9]{11,16}$/, "Il codice fiscale del debitore ha 16 caratteri (11 cifre per un'azienda)"),
      ]),
    ),
});
type Lookup = NoticeLookup | { errors: Record<string, string> };

/** "Paga un avviso": the live amount of a notice, verified through the rules the Nodo sees. */
export function payNoticePages(ctx: CitizenContext): Router {
  const router = Router();

  async function lookup(body: unknown, res: Response): Promise<Lookup> {
    const parsed = lookupSchema.safeParse(body ?? {});
    if (!parsed.success)
      return { errors: Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])) };
    const who = citizenOf(res);
    return findPayableNotice(ctx.checkout, {
      nav: parsed.data.nav,
      creditorFiscalCode: parsed.data.creditorFiscalCode,
      ...(parsed.data.debtorFiscalCode ? { debtorFiscalCode: parsed.data.debtorFiscalCode } : {}),
      ...(who ? { citizenFiscalCode: who.fiscalCode } : {}),
    });
  }

  function show(res: Response, body: unknown, found: Lookup) {
    const values = z
      .record(z.string(), z.string())
      .catch({})
      .parse(body ?? {});
    const ok = "found" in found && found.found;
    res.status(ok ? 200 : 422).render("citizen/views/pay-notice", {
      title: "Paga un avviso",
      values,
      errors: "errors" in found ? found.errors : {},
      ...(ok ? { tenant: found.tenant, notice: found.notice, debtorKnown: found.debtorKnown } : {}),
      ...("reason" in found ? { reason: found.reason } : {}),
    });
  }

  router.get("/paga-avviso", (_req, res) => {
    res.render("citizen/views/pay-notice", { title: "Paga un avviso", values: {}, errors: {} });
  });

  router.post("/paga-avviso", async (req, res) => {
    show(res, req.body, await lookup(req.body, res));
  });

  router.post("/paga-avviso/aggiungi", async (req, res) => {
    const found = await lookup(req.body, res);
    if (!("found" in found) || !found.found) return show(res, req.body, found);
    await addFoundNoticeToCart(ctx, req, res, found);
  });

  return router;
}
