import { Router, type Request, type Response } from "express";
import { formDefinitionSchema, getPaymentType, listPaymentTypes, savePaymentType } from "../../server/catalog/index.ts";
import { listCreditorAccounts } from "../../server/tenancy/index.ts";
import { can } from "../../server/identity/staff/index.ts";
import { FormValidationError } from "../../server/platform/errors.ts";
import { staffActor, type BackofficeContext } from "./backoffice.context.ts";
import { allow } from "./guards.ts";
import { renderPage } from "./nav.ts";
import { flatFormSchema } from "./forms.schema.ts";
import { PAYMENT_TYPE_LABELS } from "./form-labels.ts";
import { fieldErrorsOf, showErrors, type ShownErrors } from "../shared/form-errors.ts";
import {
  editorToInput,
  FIELD_TYPES,
  fieldRowIndices,
  MAX_BENEFICIARIES,
  storedToEditor,
  type EditorForm,
} from "./payment-type-form.ts";

const base = (res: Response) => `/backoffice/enti/${res.locals.tenant!.ipaCode}/tipi-pagamento`;

/**
 * Tenant admin: the council's payment types, with the parametric form builder and its live
 * preview (the same partial the citizen portal renders), beneficiaries and amount rule.
 */
export function paymentTypePages(ctx: BackofficeContext): Router {
  const router = Router({ mergeParams: true });
  const { db } = ctx.deps;

  router.get("/tipi-pagamento", allow("tenant.read"), async (_req, res) => {
    const tenant = res.locals.tenant!;
    const types = await listPaymentTypes(db, tenant.id);
    renderPage(res, "payment-types", base(res), {
      title: "Tipi di pagamento",
      types: types.map((t) => ({ ...t, isDraft: t.status === "DRAFT", taxonomy: ctx.taxonomy.get(t.taxonomyCode) })),
      canConfigure: can(res.locals.staff!.principal, "tenant.configure", tenant.ipaCode),
      flash: _req.query.pubblicato
        ? "Tipo di pagamento pubblicato."
        : _req.query.salvato
          ? "Tipo di pagamento salvato."
          : undefined,
    });
  });

  router.get("/tipi-pagamento/nuovo", allow("tenant.configure"), async (_req, res) => {
    await showEditor(ctx, res, { availableAtCounter: "on", conto0_quota: "100", campo0_ordine: "1" }, undefined, true);
  });

  router.get("/tipi-pagamento/tassonomia", allow("tenant.configure"), (req, res) => {
    const q = typeof req.query.q === "string" ? req.query.q.slice(0, 80) : "";
    const entries = q.trim().length >= 2 ? ctx.taxonomy.search(q, 30) : [];
    if (req.accepts(["html", "json"]) === "json")
      return res.json({
        entries: entries.map((e) => ({
          code: e.code,
          service: e.service,
          macroArea: e.macroArea,
          creditorType: e.creditorType,
        })),
      });
    renderPage(res, "taxonomy-search", base(res), {
      title: "Tassonomia pagoPA",
      q,
      entries,
      official: ctx.taxonomy.official,
      size: ctx.taxonomy.size,
    });
  });

  router.get("/tipi-pagamento/:code", allow("tenant.configure"), async (req: Request<{ code: string }>, res) => {
    const type = await getPaymentType(db, res.locals.tenant!.id, req.params.code);
    await showEditor(ctx, res, storedToEditor(type), undefined, false);
  });

  router.post("/tipi-pagamento/anteprima", allow("tenant.configure"), (req, res) => {
    res.render("backoffice/views/form-preview", { layout: false, ...previewOf(flatFormSchema.parse(req.body)) });
  });

  router.post("/tipi-pagamento", allow("tenant.configure"), async (req, res) => {
    const form = flatFormSchema.parse(req.body);
    const isNew = form.nuovo === "1";
    if (form.azione === "aggiungi-campo") {
      const next = Math.max(-1, ...fieldRowIndices(form)) + 1;
      return showEditor(ctx, res, { ...form, [`campo${next}_ordine`]: String(next + 1) }, undefined, isNew);
    }
    if (form.azione === "anteprima") return showEditor(ctx, res, form, undefined, isNew);
    try {
      const publish = form.azione === "pubblica";
      await savePaymentType(
        db,
        res.locals.tenant!,
        editorToInput(form),
        staffActor(res.locals.staff!),
        ctx.taxonomy,
        new Date(),
        { publish },
      );
      res.redirect(303, `${base(res)}?${publish ? "pubblicato" : "salvato"}=1`);
    } catch (err) {
      if (!(err instanceof FormValidationError)) throw err;
      res.status(422);
      await showEditor(ctx, res, form, showErrors(err.fieldErrors, PAYMENT_TYPE_LABELS), isNew);
    }
  });
  return router;
}

async function showEditor(
  ctx: BackofficeContext,
  res: Response,
  form: EditorForm,
  shown: ShownErrors = { errors: {}, errorList: [] },
  isNew: boolean,
) {
  const tenant = res.locals.tenant!;
  const accounts = await listCreditorAccounts(ctx.deps.db, tenant.id, { current: true });
  const rows = fieldRowIndices(form);
  const fieldRows = (rows.length > 0 ? rows : [0]).map((i) => ({
    i,
    order: form[`campo${i}_ordine`] ?? String(i + 1),
    name: form[`campo${i}_nome`] ?? "",
    label: form[`campo${i}_etichetta`] ?? "",
    types: FIELD_TYPES.map((t) => ({ ...t, selected: t.value === (form[`campo${i}_tipo`] ?? "text") })),
    required: Boolean(form[`campo${i}_obbligatorio`]),
    pattern: form[`campo${i}_formato`] ?? "",
    help: form[`campo${i}_aiuto`] ?? "",
    values: form[`campo${i}_valori`] ?? "",
    nameError: shown.errors[`campo${i}_nome`],
    labelError: shown.errors[`campo${i}_etichetta`],
    typeError: shown.errors[`campo${i}_tipo`],
    patternError: shown.errors[`campo${i}_formato`],
    helpError: shown.errors[`campo${i}_aiuto`],
    valuesError: shown.errors[`campo${i}_valori`],
  }));
  const beneficiaries = Array.from({ length: MAX_BENEFICIARIES }, (_, i) => ({
    i,
    iban: form[`conto${i}_iban`] ?? "",
    ente: form[`conto${i}_ente`] ?? "",
    quota: form[`conto${i}_quota`] ?? "",
    ibanError: shown.errors[`conto${i}_iban`],
    enteError: shown.errors[`conto${i}_ente`],
    quotaError: shown.errors[`conto${i}_quota`],
  }));
  const entry = ctx.taxonomy.get(String(form.taxonomyCode ?? ""));
  renderPage(res, "payment-type-edit", `${base(res)}${isNew ? "/nuovo" : ""}`, {
    title: isNew ? "Nuovo tipo di pagamento" : `Tipo di pagamento ${form.code}`,
    isNew,
    f: form,
    ...shown,
    accounts,
    fieldRows,
    beneficiaries,
    taxonomyEntry: entry,
    taxonomyOfficial: ctx.taxonomy.official,
    rules: [
      { value: "", label: "Nessuna (solo posizioni create dall'ente)" },
      { value: "fixed", label: "Importo fisso" },
      { value: "choice", label: "Scelto da un elenco di voci" },
      { value: "range", label: "Libero entro limiti" },
      { value: "plugin", label: "Calcolato da un'estensione dell'ente" },
    ].map((r) => ({ ...r, selected: r.value === (form.regola ?? "") })),
    // The deciding field is chosen among the form's named fields, shown by label (name as a hint).
    deciderFields: fieldRows
      .filter((r) => r.name)
      .map((r) => ({
        name: r.name,
        label: r.label ? `${r.label} (${r.name})` : r.name,
        selected: r.name === form.regola_campo,
      })),
    preview: previewOf(form),
    scripts: ["/assets/app/form-builder.js"],
  });
}

/** What the citizen would see: the form's fields through the portal's own partial, the subject and the amount rule. */
function previewOf(form: EditorForm) {
  const input = editorToInput(form);
  const def = formDefinitionSchema.safeParse(input.formDefinition ?? { fields: [], subjectTemplate: "-" });
  const rule = input.amountRule;
  const amount = !rule
    ? null
    : rule.kind === "fixed"
      ? {
          text: Number.isFinite(rule.amountCents)
            ? `Importo fisso: ${(rule.amountCents / 100).toFixed(2).replace(".", ",")} €`
            : "Importo fisso non valido",
        }
      : rule.kind === "choice"
        ? {
            text: `Importo secondo la voce scelta in "${rule.field}"`,
            choices: rule.choices.map((c) => ({
              label: c.label,
              amount: Number.isFinite(c.amountCents)
                ? `${(c.amountCents / 100).toFixed(2).replace(".", ",")} €`
                : "importo non valido",
            })),
          }
        : rule.kind === "range"
          ? {
              text: `Importo indicato dal cittadino in "${rule.field}", tra ${(rule.minCents / 100).toFixed(2).replace(".", ",")} € e ${(rule.maxCents / 100).toFixed(2).replace(".", ",")} €`,
            }
          : { text: `Importo calcolato dall'estensione "${rule.plugin}"` };
  return {
    previewName: input.name || "Nuovo servizio",
    previewFields: def.success ? def.data.fields : [],
    previewError: def.success
      ? null
      : showErrors(prefixed(fieldErrorsOf(def.error), "formDefinition"), PAYMENT_TYPE_LABELS)
          .errorList.map((e) => e.text)
          .join("; "),
    previewSubject: input.formDefinition?.subjectTemplate ?? "",
    previewAmount: amount,
  };
}

const prefixed = (errors: Record<string, string>, prefix: string) =>
  Object.fromEntries(Object.entries(errors).map(([k, v]) => [k === "form" ? prefix : `${prefix}.${k}`, v]));
