/**
 * Turns a use case's field errors (keyed by the input's path, e.g. "debtor.fiscalCode" or
 * "defaultTransfers.1.accountIban") into what a form shows: one Italian message per field that
 * names the field by its label, keyed by the HTML id of the control it sits next to, and the
 * list for the error summary at the top whose links move focus to each control.
 */

/** A control's label and HTML id; in a pattern, `{n}` is the row's number from 1 and `{i}` from 0. */
export interface FieldLabel {
  label: string;
  id?: string;
  /** The label is a fieldset's legend (a rule across its fields); the link goes to its first control. */
  section?: boolean;
}

/**
 * Labels by input path. A `*` segment matches a row index ("installments.*" → "Rata {n}"). A
 * path with no entry falls back to its closest parent ("amountRule.choices.0.label" →
 * "amountRule"); "form" (or nothing) is a message for the whole form, shown without a link.
 */
export type FieldLabels = Record<string, FieldLabel | string>;

/** What a view receives: messages by control id, and the summary list. */
export interface ShownErrors {
  errors: Record<string, string>;
  errorList: Array<{ id?: string; text: string }>;
}

function match(path: string[], labels: FieldLabels): { spec: FieldLabel; key: string; index?: number } | undefined {
  for (let len = path.length; len > 0; len--) {
    const head = path.slice(0, len);
    for (const [pattern, value] of Object.entries(labels)) {
      const parts = pattern.split(".");
      if (parts.length !== len) continue;
      let index: number | undefined;
      const ok = parts.every((p, k) => {
        if (p === "*" && /^\d+$/.test(head[k]!)) return ((index ??= Number(head[k])), true);
        return p === head[k];
      });
      if (ok) return { spec: typeof value === "string" ? { label: value } : value, key: head.join("."), index };
    }
  }
  return undefined;
}

const fill = (text: string, index: number | undefined) =>
  index === undefined ? text : text.replaceAll("{n}", String(index + 1)).replaceAll("{i}", String(index));
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** "Causale: al massimo 140 caratteri" (a message that already starts with the label is kept). */
export function labelled(label: string, message: string): string {
  const m = message.trim();
  return m.toLowerCase().startsWith(label.toLowerCase()) ? capital(m) : `${label}: ${m}`;
}

/**
 * All of a form's errors at once, each naming its field's label.
 * @param fieldErrors path → message, as FormValidationError carries them
 * @param labels the form's labels by path (see FieldLabels)
 */
export function showErrors(fieldErrors: Record<string, string>, labels: FieldLabels): ShownErrors {
  const errors: Record<string, string> = {};
  const errorList: ShownErrors["errorList"] = [];
  for (const [path, message] of Object.entries(fieldErrors)) {
    const found = path && path !== "form" ? match(path.split("."), labels) : undefined;
    if (!found) {
      errors.form = errors.form ? `${errors.form}; ${capital(message)}` : capital(message);
      errorList.push({ text: capital(message) });
      continue;
    }
    const label = fill(found.spec.label, found.index);
    const id = fill(found.spec.id ?? found.key, found.index);
    const text = labelled(label, message);
    errors[id] = errors[id] ? `${errors[id]}; ${message}` : text;
    errorList.push({ id, text });
  }
  return { errors, errorList };
}

/** A zod error as path → message (every issue; the first per path), the shape showErrors takes. */
export function fieldErrorsOf(error: {
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>;
}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) out[issue.path.map(String).join(".") || "form"] ??= issue.message;
  return out;
}

/** A single form-level message (a refusal that is not about one field), in the same shape. */
export function formMessage(message: string): ShownErrors {
  return { errors: { form: message }, errorList: [{ text: message }] };
}
