import { Router } from "express";
import { z } from "zod";
import { compareWithPagopa } from "../../server/tenancy/index.ts";
import { AppError } from "../../server/platform/errors.ts";
import type { BackofficeContext } from "./backoffice.context.ts";
import { renderPage } from "./nav.ts";

/**
 * Platform admin: what PontePA holds for each council next to what pagoPA's back-office knows
 * (station, codes, IBANs), read live on each visit (#17 item 4). pagoPA unreachable is said on
 * the page, not turned into an error page.
 */
export function registryAlignmentPages(ctx: BackofficeContext): Router {
  const router = Router();
  // ?intermediario=<fiscal code> narrows the page to one intermediary (a Region may run several).
  const query = z.object({
    intermediario: z
      .string()
      .regex(/^\d{11}$/)
      .optional()
      .catch(undefined),
  });
  router.get("/", async (req, res) => {
    const { intermediario } = query.parse(req.query);
    try {
      const alignment = await compareWithPagopa(ctx.deps.db, ctx.pagopaRegistry, {
        intermediaryFiscalCode: intermediario,
      });
      renderPage(res, "platform-alignment", "/backoffice/piattaforma", {
        title: "Allineamento con pagoPA",
        alignment,
        differences: alignment.reduce((n, a) => n + a.councils.length, 0),
      });
    } catch (err) {
      if (!(err instanceof AppError) || !err.code.startsWith("PAGOPA_REGISTRY")) throw err;
      req.log?.warn({ err }, "pagoPA's back-office API could not be read");
      res.status(502);
      renderPage(res, "platform-alignment", "/backoffice/piattaforma", {
        title: "Allineamento con pagoPA",
        alert: `Non è stato possibile leggere l'anagrafica pagoPA: ${err.message}. Riprova più tardi.`,
      });
    }
  });
  return router;
}
