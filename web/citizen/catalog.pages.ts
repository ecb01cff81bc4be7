import { Router, type Response } from "express";
import { z } from "zod";
import { findTenantByIpaCode, listTenants } from "../../server/tenancy/index.ts";
import { listPortalCatalog, type CatalogEntry } from "../../server/catalog/index.ts";
import { isPayableTenant, payForService } from "../../server/checkout/index.ts";
import { FormValidationError, notFound } from "../../server/platform/errors.ts";
import { resolveTenant, tenantOf } from "../../server/platform/http/resolve-tenant.ts";
import type { Tenant } from "../../server/generated/prisma/client.ts";
import { cartIdOf, citizenOf, keepCart, type CitizenContext } from "./citizen.context.ts";

const directoryQuery = z.object({
  q: z
    .string()
    .catch("")
    .default("")
    .transform((s) => s.trim().slice(0, 80)),
});

const text = z.string().max(1_000).catch("").default("");
/** The service form's own "who pays" inputs; the council's fields are parsed by the catalog's rules. */
const debtorFields = z.object({
  debtorFiscalCode: text.transform((s) => s.trim().toUpperCase()),
  debtorName: text.transform((s) => s.trim()),
  debtorEmail: text.transform((s) => s.trim()),
});
/** Which of the form's two buttons was pressed: "Paga subito" or "Aggiungi al carrello". */
const nextStep = z.object({ dopo: z.enum(["paga", "carrello"]).catch("carrello") });
/** Any posted field is text (express.urlencoded without `extended`); only the form's own names are kept. */
const postedValues = z.record(z.string(), z.unknown()).catch({});

const DEBTOR_LABELS = {
  debtorFiscalCode: "Codice fiscale del debitore",
  debtorName: "Nome e cognome o ragione sociale",
  debtorEmail: "E-mail per ricevere la ricevuta",
};

/** Council directory, council page with its catalog, and the parametric payment form. */
export function catalogPages(ctx: CitizenContext): Router {
  const router = Router();
  const production = ctx.deps.config.NODE_ENV === "production";
  const council = resolveTenant({
    find: (ipa) => findTenantByIpaCode(ctx.deps.db, ipa),
    visible: (tenant) => isPayableTenant(tenant, production),
    notFoundMessage: "Ente non trovato",
  });

  router.get("/", async (req, res) => {
    const { q } = directoryQuery.parse(req.query);
    const all = (await listTenants(ctx.deps.db)).filter((t) => isPayableTenant(t, production));
    const needle = q.toLocaleLowerCase("it");
    const tenants = q
      ? all.filter((t) => `${t.name} ${t.fiscalCode} ${t.ipaCode}`.toLocaleLowerCase("it").includes(needle))
      : all;
    res.render("citizen/views/directory", { title: "Enti", tenants, q, total: all.length });
  });

  router.get("/enti/:ipa", council, async (_req, res) => {
    const tenant = tenantOf(res);
    const services = await listPortalCatalog(ctx.deps.db, tenant.id);
    res.render("citizen/views/council", { title: tenant.name, tenant, services });
  });

  async function serviceOf(tenant: Tenant, code: string): Promise<CatalogEntry> {
    const service = (await listPortalCatalog(ctx.deps.db, tenant.id)).find((s) => s.code === code);
    if (!service) throw notFound("Servizio");
    return service;
  }

  function renderForm(
    res: Response,
    tenant: Tenant,
    service: CatalogEntry,
    values: Record<string, unknown>,
    errors: Record<string, string> = {},
  ) {
    const labels: Record<string, string> = {
      ...Object.fromEntries(service.form.fields.map((f) => [f.name, f.label])),
      ...DEBTOR_LABELS,
    };
    const failed = Object.keys(errors).length > 0;
    res.status(failed ? 422 : 200).render("citizen/views/service-form", {
      title: failed ? `Errore - ${service.name}` : service.name,
      tenant,
      service,
      fields: service.form.fields,
      values,
      errors,
      ...(failed
        ? {
            errorList: Object.entries(errors).map(([field, message]) => ({
              field,
              label: labels[field] ?? field,
              message,
            })),
          }
        : {}),
    });
  }

  router.get("/enti/:ipa/servizi/:code", council, async (req, res) => {
    const tenant = tenantOf(res);
    const service = await serviceOf(tenant, String(req.params.code));
    // A logged-in citizen is asked nothing SPID already certified (they may still change it).
    const who = citizenOf(res);
    renderForm(
      res,
      tenant,
      service,
      who ? { debtorFiscalCode: who.fiscalCode, debtorName: who.name, debtorEmail: who.email ?? "" } : {},
    );
  });

  router.post("/enti/:ipa/servizi/:code", council, async (req, res) => {
    const tenant = tenantOf(res);
    const service = await serviceOf(tenant, String(req.params.code));
    const posted = postedValues.parse(req.body ?? {});
    const debtor = debtorFields.parse(posted);
    const { dopo: after } = nextStep.parse(posted);
    const values = Object.fromEntries(
      service.form.fields.flatMap((f) =>
        typeof posted[f.name] === "string" ? [[f.name, posted[f.name] as string]] : [],
      ),
    );
    try {
      const who = citizenOf(res);
      const added = await payForService(ctx.checkout, cartIdOf(req), {
        tenant,
        serviceCode: service.code,
        values,
        debtor: {
          fiscalCode: debtor.debtorFiscalCode,
          name: debtor.debtorName,
          ...(debtor.debtorEmail ? { email: debtor.debtorEmail } : {}),
        },
        ...(who ? { citizenFiscalCode: who.fiscalCode } : {}),
      });
      keepCart(ctx, res, added);
      // "Paga subito": to the cart's payment section, the pay button one press away.
      res.redirect(303, after === "paga" ? "/carrello#pagamento" : "/carrello");
    } catch (err) {
      if (!(err instanceof FormValidationError)) throw err;
      // debtor.fiscalCode → debtorFiscalCode: the names of the form's own inputs. The receipt
      // e-mail is validated there too, so a typo never silently loses the receipt.
      const errors = Object.fromEntries(
        Object.entries(err.fieldErrors).map(([k, m]) => [
          k.startsWith("debtor.") ? `debtor${k[7]!.toUpperCase()}${k.slice(8)}` : k,
          m,
        ]),
      );
      renderForm(res, tenant, service, { ...values, ...debtor }, errors);
    }
  });

  return router;
}
