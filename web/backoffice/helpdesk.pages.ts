import { Router } from "express";
import { findPayment, paymentQuerySchema, tenantsOverview } from "../../server/helpdesk/index.ts";
import { staffActor, type BackofficeContext } from "./backoffice.context.ts";
import { renderPage } from "./nav.ts";

const KINDS = { nav: "Codice avviso", iuv: "IUV", receiptId: "Identificativo ricevuta", fiscalCode: "Codice fiscale" } as const;

/**
 * The regional helpdesk (mounted behind allow("helpdesk.read")): one search box across every
 * council, with the journal and timeline of what it finds, and the councils' overview. Both
 * use cases write each cross-tenant read to the audit log.
 */
export function helpdeskPages(ctx: BackofficeContext): Router {
  const router = Router();
  router.get("/", async (req, res) => {
    const kind = typeof req.query.per === "string" && req.query.per in KINDS ? (req.query.per as keyof typeof KINDS) : "nav";
    const value = typeof req.query.valore === "string" ? req.query.valore.trim() : "";
    let traces = null;
    let error: string | null = null;
    if (value) {
      const query = paymentQuerySchema.safeParse({ [kind]: value });
      if (query.success) traces = await findPayment(ctx.deps.db, query.data, staffActor(res.locals.staff!), req.id as string | undefined);
      else error = query.error.issues[0]?.message ?? "ricerca non valida";
    }
    renderPage(res, "helpdesk-search", "/backoffice/assistenza", {
      title: "Assistenza: cerca un pagamento",
      kinds: Object.entries(KINDS).map(([k, label]) => ({ value: k, label, selected: k === kind })),
      value,
      traces,
      error,
    });
  });

  router.get("/enti", async (req, res) => {
    const overview = await tenantsOverview(ctx.deps.db, staffActor(res.locals.staff!));
    renderPage(res, "helpdesk-tenants", "/backoffice/assistenza/enti", { title: "Stato degli enti", overview });
  });
  return router;
}
