import { parseEuroToCents } from "../../server/pagopa/index.ts";
import type { PaymentTypeInput } from "../../server/catalog/index.ts";

/**
 * The payment-type editor is a plain HTML form (it works without JavaScript): fixed rows for
 * beneficiaries and form fields, lists typed one item per line. These functions translate it to
 * the use case's input and back; validation stays in the use case.
 */
export type EditorForm = Record<string, string | string[] | undefined>;

export const MAX_BENEFICIARIES = 5;
export const FIELD_TYPES = [
  { value: "text", label: "Testo" },
  { value: "number", label: "Numero" },
  { value: "date", label: "Data" },
  { value: "select", label: "Scelta da elenco" },
  { value: "fiscalCode", label: "Codice fiscale" },
  { value: "email", label: "E-mail" },
  { value: "plate", label: "Targa" },
] as const;

const str = (v: unknown) =>
  typeof v === "string" ? v.trim() : Array.isArray(v) ? String(v[v.length - 1] ?? "").trim() : "";
const checked = (v: unknown) => str(v) === "on" || str(v) === "1" || str(v) === "true";
const lines = (v: string) =>
  v
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

/** A list line split on "=" or "|" ("piccolo = Fino a 3 metri = 25,00"); both separators are accepted. */
const parts = (line: string) => line.split(/\s*[=|]\s*/).map((s) => s.trim());

/** Who may use a counter tariff, as typed in its line (the last part; "tutti" when absent). */
const ROLE_WORDS: Record<string, string[]> = {
  tutti: ["tenant-admin", "operator"],
  amministratori: ["tenant-admin"],
};

/** Euro amount typed by a person, or NaN (the use case then reports the field). */
function cents(text: string): number {
  try {
    return parseEuroToCents(text);
  } catch {
    return Number.NaN;
  }
}

/** Indices of the field rows present in the form (campo0_*, campo1_*, …). */
export function fieldRowIndices(form: EditorForm): number[] {
  const seen = new Set<number>();
  for (const key of Object.keys(form)) {
    const m = /^campo(\d{1,2})_/.exec(key);
    if (m) seen.add(Number(m[1]));
  }
  return [...seen].sort((a, b) => a - b);
}

export function editorToInput(form: EditorForm): PaymentTypeInput {
  const transfers = Array.from({ length: MAX_BENEFICIARIES }, (_, i) => ({
    accountIban: str(form[`conto${i}_iban`]),
    beneficiaryFiscalCode: str(form[`conto${i}_ente`]) || undefined,
    shareBasisPoints: Math.round(Number(str(form[`conto${i}_quota`]).replace(",", ".")) * 100),
  })).filter((t) => t.accountIban);

  const fields = fieldRowIndices(form)
    .map((i) => ({
      order: Number(str(form[`campo${i}_ordine`]) || i + 1),
      name: str(form[`campo${i}_nome`]),
      label: str(form[`campo${i}_etichetta`]),
      type: (str(form[`campo${i}_tipo`]) || "text") as "text",
      required: checked(form[`campo${i}_obbligatorio`]),
      pattern: str(form[`campo${i}_formato`]) || undefined,
      help: str(form[`campo${i}_aiuto`]) || undefined,
      options:
        str(form[`campo${i}_tipo`]) === "select"
          ? lines(str(form[`campo${i}_valori`])).map((l) => {
              const [value, label] = parts(l);
              return { value: value!, label: label || value! };
            })
          : undefined,
    }))
    .filter((f) => f.name || f.label)
    .sort((a, b) => a.order - b.order)
    .map(({ order: _order, ...f }) => f);

  const kind = str(form.regola);
  const amountRule =
    kind === "fixed"
      ? { kind, amountCents: cents(str(form.regola_importo)) }
      : kind === "choice"
        ? {
            kind,
            field: str(form.regola_campo),
            choices: lines(str(form.regola_voci)).map((l) => {
              const [value, label, amount] = parts(l);
              return { value: value!, label: label || value!, amountCents: cents(amount ?? "") };
            }),
          }
        : kind === "range"
          ? {
              kind,
              field: str(form.regola_campo),
              minCents: cents(str(form.regola_minimo)),
              maxCents: cents(str(form.regola_massimo)),
            }
          : kind === "plugin"
            ? { kind, plugin: str(form.regola_plugin), params: {} }
            : undefined;

  // Choice values are typed once, with the rule's amounts: the field that decides the amount lists
  // exactly the rule's choices, so the two lists cannot disagree.
  if (amountRule?.kind === "choice") {
    const decider = fields.find((f) => f.name === amountRule.field);
    if (decider) {
      decider.type = "select" as "text";
      decider.options = (amountRule.choices ?? []).map((c) => ({ value: c.value, label: c.label }));
    }
  }

  const tariffs = lines(str(form.tariffe)).map((l) => {
    const [code, label, amount, who] = parts(l);
    return {
      code: (code ?? "").toUpperCase(),
      label: label ?? "",
      amountCents: cents(amount ?? ""),
      roles: ROLE_WORDS[(who ?? "tutti").toLowerCase()] ?? [],
    };
  });

  const subjectTemplate = str(form.causale);
  return {
    code: str(form.code).toUpperCase(),
    name: str(form.name),
    description: str(form.description) || undefined,
    taxonomyCode: str(form.taxonomyCode),
    accountingChapter: str(form.accountingChapter) || undefined,
    defaultAssessment: str(form.defaultAssessment) || undefined,
    defaultTransfers: transfers,
    availableOnPortal: checked(form.availableOnPortal),
    availableAtCounter: checked(form.availableAtCounter),
    availableAtPsp: checked(form.availableAtPsp),
    formDefinition: fields.length > 0 || subjectTemplate ? { fields, subjectTemplate } : undefined,
    amountRule: amountRule as PaymentTypeInput["amountRule"],
    tariffs: tariffs as PaymentTypeInput["tariffs"],
    validFrom: str(form.validFrom) || undefined,
    validTo: str(form.validTo) || undefined,
  };
}

const euro = (c: number) => (c / 100).toFixed(2).replace(".", ",");
const isoDay = (d: Date | null | undefined) => (d ? d.toISOString().slice(0, 10) : "");

/** A stored payment type as editor values, so editing starts from what is saved. */
export function storedToEditor(t: {
  code: string;
  name: string;
  description: string | null;
  taxonomyCode: string;
  accountingChapter: string | null;
  defaultAssessment?: string | null;
  defaultTransfers: unknown;
  availableOnPortal: boolean;
  availableAtCounter: boolean;
  availableAtPsp: boolean;
  formDefinition: unknown;
  amountRule: unknown;
  tariffs?: unknown;
  validFrom: Date | null;
  validTo: Date | null;
}): EditorForm {
  const form: EditorForm = {
    code: t.code,
    name: t.name,
    description: t.description ?? "",
    taxonomyCode: t.taxonomyCode,
    accountingChapter: t.accountingChapter ?? "",
    defaultAssessment: t.defaultAssessment ?? "",
    availableOnPortal: t.availableOnPortal ? "on" : undefined,
    availableAtCounter: t.availableAtCounter ? "on" : undefined,
    availableAtPsp: t.availableAtPsp ? "on" : undefined,
    validFrom: isoDay(t.validFrom),
    validTo: isoDay(t.validTo),
  };
  const transfers = (t.defaultTransfers ?? []) as Array<{
    accountIban: string;
    beneficiaryFiscalCode?: string;
    shareBasisPoints: number;
  }>;
  transfers.forEach((d, i) => {
    form[`conto${i}_iban`] = d.accountIban;
    form[`conto${i}_ente`] = d.beneficiaryFiscalCode ?? "";
    form[`conto${i}_quota`] = String(d.shareBasisPoints / 100).replace(".", ",");
  });
  const def = t.formDefinition as { fields: Array<Record<string, unknown>>; subjectTemplate: string } | null;
  const rule = t.amountRule as Record<string, unknown> | null;
  const decider = rule?.kind === "choice" ? String(rule.field) : null;
  def?.fields.forEach((f, i) => {
    form[`campo${i}_ordine`] = String(i + 1);
    form[`campo${i}_nome`] = String(f.name);
    form[`campo${i}_etichetta`] = String(f.label);
    form[`campo${i}_tipo`] = String(f.type);
    form[`campo${i}_obbligatorio`] = f.required ? "on" : undefined;
    form[`campo${i}_formato`] = (f.pattern as string) ?? "";
    form[`campo${i}_aiuto`] = (f.help as string) ?? "";
    form[`campo${i}_valori`] =
      f.name === decider
        ? ""
        : ((f.options as Array<{ value: string; label: string }>) ?? [])
            .map((o) => `${o.value} = ${o.label}`)
            .join("\n");
  });
  form.causale = def?.subjectTemplate ?? "";
  form.tariffe = ((t.tariffs ?? []) as Array<{ code: string; label: string; amountCents: number; roles: string[] }>)
    .map(
      (x) =>
        `${x.code} = ${x.label} = ${euro(x.amountCents)} = ${x.roles.includes("operator") ? "tutti" : "amministratori"}`,
    )
    .join("\n");
  if (rule) {
    form.regola = String(rule.kind);
    if (rule.kind === "fixed") form.regola_importo = euro(rule.amountCents as number);
    if (rule.kind === "choice" || rule.kind === "range") form.regola_campo = String(rule.field);
    if (rule.kind === "choice")
      form.regola_voci = (rule.choices as Array<{ value: string; label: string; amountCents: number }>)
        .map((c) => `${c.value} = ${c.label} = ${euro(c.amountCents)}`)
        .join("\n");
    if (rule.kind === "range") {
      form.regola_minimo = euro(rule.minCents as number);
      form.regola_massimo = euro(rule.maxCents as number);
    }
    if (rule.kind === "plugin") form.regola_plugin = String(rule.plugin);
  }
  return form;
}
