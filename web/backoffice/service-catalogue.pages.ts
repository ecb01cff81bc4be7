import { Router, type Response } from "express";
import { z } from "zod";
import { copyServiceTemplate, listServiceTemplates } from "../../server/catalog/index.ts";
import { listCreditorAccounts } from "../../server/tenancy/index.ts";
import { FormValidationError } from "../../server/platform/errors.ts";
import { can } from "../../server/identity/staff/index.ts";
import { staffActor, type BackofficeContext } from "./backoffice.context.ts";
import { allow } from "./guards.ts";
import { renderPage } from "./nav.ts";
import { showErrors, type ShownErrors } from "../shared/form-errors.ts";

const LABELS = {
  templateCode: "Servizio del catalogo",
  code: "Codice del tipo di pagamento",
  accountIban: "Conto di accredito",
  defaultTransfers: { label: "Conto di accredito", id: "accountIban" },
  taxonomyCode: { label: "Codice tassonomico del servizio", id: "templateCode" },
};

const text = z.string().max(200).catch("").default("");
const copyForm = z.object({ templateCode: text, code: text, accountIban: text });

const euro = (cents: number) => `${(cents / 100).toFixed(2).replace(".", ",")} €`;

/** How a template decides the amount, in words for the admin choosing one. */
function amountText(rule: unknown, tariffs: unknown): string {
  const r = rule as { kind?: string; amountCents?: number; minCents?: number; maxCents?: number } | null;
  const t = (tariffs ?? []) as Array<{ label: string; amountCents: number }>;
  if (t.length) return `Tariffe allo sportello: ${t.map((x) => `${x.label} ${euro(x.amountCents)}`).join("; ")}`;
  if (r?.kind === "fixed") return `Importo fisso ${euro(r.amountCents!)}`;
  if (r?.kind === "range") return `Importo libero da ${euro(r.minCents!)} a ${euro(r.maxCents!)}`;
  if (r?.kind === "choice") return "Importo secondo la voce scelta nel modulo";
  return "Importo indicato dall'ente per ogni posizione (avvisi, importazioni, sportello)";
}

/**
 * The Region's catalogue of standard services, as a council's admin copies one into its own
 * payment types (issue 17 item 6): the copy is a draft the admin then edits and publishes.
 */
export function serviceCataloguePages(ctx: BackofficeContext): Router {
  const router = Router({ mergeParams: true });
  const path = "/tipi-pagamento/catalogo-regionale";
  const show = async (res: Response, values: Record<string, string> = {}, shown?: ShownErrors) => {
    const tenant = res.locals.tenant!;
    const [templates, accounts] = await Promise.all([
      listServiceTemplates(ctx.deps.db, tenant.id),
      listCreditorAccounts(ctx.deps.db, tenant.id),
    ]);
    const today = new Date();
    const ibans = accounts
      .filter((a) => a.effectiveFrom <= today && (!a.effectiveTo || a.effectiveTo >= today))
      .map((a) => ({ iban: a.iban, holder: a.holder, selected: a.iban === values.accountIban }));
    renderPage(res, "service-catalogue", `/backoffice/enti/${tenant.ipaCode}/tipi-pagamento`, {
      title: "Catalogo regionale dei servizi",
      templates: templates.map((t) => ({
        code: t.code,
        name: t.name,
        description: t.description,
        taxonomyCode: t.taxonomyCode,
        onPortal: Boolean(t.formDefinition && t.amountRule),
        amount: amountText(t.amountRule, t.tariffs),
        chosen: values.templateCode === t.code,
        codeValue: values.templateCode === t.code ? values.code : t.code,
      })),
      ibans,
      canConfigure: can(res.locals.staff!.principal, "tenant.configure", tenant.ipaCode),
      action: `/backoffice/enti/${tenant.ipaCode}${path}`,
      ...(shown ?? { errors: {}, errorList: [] }),
    });
  };

  router.get(path, allow("tenant.read"), async (_req, res) => show(res));

  router.post(path, allow("tenant.configure"), async (req, res) => {
    const form = copyForm.parse(req.body ?? {});
    const tenant = res.locals.tenant!;
    try {
      const copied = await copyServiceTemplate(ctx.deps.db, tenant, form, staffActor(res.locals.staff!), ctx.taxonomy);
      res.redirect(303, `/backoffice/enti/${tenant.ipaCode}/tipi-pagamento/${copied.code}`);
    } catch (err) {
      if (!(err instanceof FormValidationError)) throw err;
      res.status(422);
      await show(res, form, showErrors(err.fieldErrors, LABELS));
    }
  });
  return router;
}
