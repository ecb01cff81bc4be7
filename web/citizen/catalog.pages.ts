import { Router } from "express";
import { z } from "zod";
import { findTenantByIpaCode, listTenants } from "../../server/tenancy/index.ts";
import { listPortalCatalog } from "../../server/catalog/index.ts";
import { createSpontaneousPosition } from "../../server/positions/index.ts";
import { FormValidationError, notFound } from "../../server/platform/errors.ts";
import type { Tenant } from "../../server/generated/prisma/client.ts";
import { addToCart } from "./cart.pages.ts";
import type { CitizenContext } from "./citizen.context.ts";

/** Tenants citizens can pay: live ones (TEST tenants only on non-production platforms). */
export function isPayable(tenant: Tenant, production: boolean): boolean {
  return tenant.status === "LIVE" || (!production && tenant.status === "TEST");
}

const debtorFields = z.object({
  debtorFiscalCode: z.string().default(""),
  debtorName: z.string().default(""),
  debtorEmail: z.string().default(""),
});

/** Council directory, council page with its catalog, and the parametric payment form. */
export function catalogPages(ctx: CitizenContext): Router {
  const router = Router();
  const production = ctx.deps.config.NODE_ENV === "production";

  async function payableTenant(ipa: string): Promise<Tenant> {
    const tenant = await findTenantByIpaCode(ctx.deps.db, ipa);
    if (!tenant || !isPayable(tenant, production)) throw notFound("Ente");
    return tenant;
  }

  router.get("/", async (req, res) => {
    const q = typeof req.query.q === "string" ? req.query.q.trim().slice(0, 80) : "";
    const all = (await listTenants(ctx.deps.db)).filter((t) => isPayable(t, production));
    const needle = q.toLocaleLowerCase("it");
    const tenants = q ? all.filter((t) => `${t.name} ${t.fiscalCode} ${t.ipaCode}`.toLocaleLowerCase("it").includes(needle)) : all;
    res.render("citizen/views/directory", { title: "Enti", tenants, q, total: all.length });
  });

  router.get("/enti/:ipa", async (req, res) => {
    const tenant = await payableTenant(req.params.ipa);
    const services = await listPortalCatalog(ctx.deps.db, tenant.id);
    res.render("citizen/views/council", { title: tenant.name, tenant, services });
  });

  async function showForm(req: { params: { ipa: string; code: string } }, tenant: Tenant) {
    const services = await listPortalCatalog(ctx.deps.db, tenant.id);
    const service = services.find((s) => s.code === req.params.code);
    if (!service) throw notFound("Servizio");
    return service;
  }

  router.get("/enti/:ipa/servizi/:code", async (req, res) => {
    const tenant = await payableTenant(req.params.ipa);
    const service = await showForm(req, tenant);
    res.render("citizen/views/service-form", { title: service.name, tenant, service, fields: service.form.fields, values: {}, errors: {} });
  });

  router.post("/enti/:ipa/servizi/:code", async (req, res) => {
    const tenant = await payableTenant(req.params.ipa);
    const service = await showForm(req, tenant);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const debtor = debtorFields.parse(body);
    const values = Object.fromEntries(service.form.fields.map((f) => [f.name, typeof body[f.name] === "string" ? body[f.name] : undefined]));
    try {
      const result = await createSpontaneousPosition(
        ctx.deps.db,
        ctx.deps.amountRules,
        tenant,
        {
          paymentTypeCode: service.code,
          channel: "PORTAL",
          values: Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)),
          debtor: {
            type: "F",
            fiscalCode: debtor.debtorFiscalCode,
            name: debtor.debtorName,
            ...(debtor.debtorEmail.trim() ? { email: debtor.debtorEmail.trim() } : {}),
          },
        },
        { type: "citizen", id: "anonymous" },
      );
      const option = result.position.options[0]!;
      await addToCart(ctx, req, res, {
        tenantId: tenant.id,
        ipaCode: tenant.ipaCode,
        creditorFiscalCode: tenant.fiscalCode,
        companyName: tenant.name,
        nav: option.nav,
        amountCents: option.amountCents,
        description: result.subject,
      });
      // "Paga subito": to the cart's payment section, the pay button one press away.
      res.redirect(303, body.dopo === "paga" ? "/carrello#pagamento" : "/carrello");
    } catch (err) {
      if (!(err instanceof FormValidationError)) throw err;
      // debtor.fiscalCode → debtorFiscalCode: the names of the form's own inputs.
      const errors = Object.fromEntries(
        Object.entries(err.fieldErrors).map(([k, m]) => [k.startsWith("debtor.") ? `debtor${k[7]!.toUpperCase()}${k.slice(8)}` : k, m]),
      );
      const labels: Record<string, string> = {
        ...Object.fromEntries(service.form.fields.map((f) => [f.name, f.label])),
        debtorFiscalCode: "Codice fiscale del debitore",
        debtorName: "Nome e cognome o ragione sociale",
        debtorEmail: "E-mail per ricevere la ricevuta",
      };
      res.status(422).render("citizen/views/service-form", {
        title: `Errore - ${service.name}`,
        tenant,
        service,
        fields: service.form.fields,
        values: { ...values, ...debtor },
        errors,
        errorList: Object.entries(errors).map(([field, message]) => ({ field, label: labels[field] ?? field, message })),
      });
    }
  });

  return router;
}
