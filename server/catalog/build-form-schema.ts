import { z } from "zod";
import { isValidFiscalCode, parseEuroToCents } from "../pagopa/index.ts";
import { matchesFieldPattern } from "./field-pattern.ts";
import type { FormDefinition } from "./payment-type.schema.ts";

type Field = FormDefinition["fields"][number];

/** Italian plates (AB123CD), older and special formats: letters and digits, 5-8 characters. */
const PLATE = /^[A-Z0-9]{5,8}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Longest value any field takes: far above any real one, and checked before anything else. */
export const MAX_FIELD_CHARS = 500;

/**
 * Why `value` is not acceptable for `field`, or null. Stops at the first failed check, so a value
 * already refused never reaches the (admin-supplied) pattern.
 */
function fieldProblem(field: Field, value: string): string | null {
  if (value.length > MAX_FIELD_CHARS) return `al massimo ${MAX_FIELD_CHARS} caratteri`;
  switch (field.type) {
    case "number": {
      let cents: number;
      try {
        cents = parseEuroToCents(value);
      } catch {
        return "inserisci un numero, ad esempio 12,50";
      }
      if (field.min !== undefined && cents < Math.round(field.min * 100)) return `il valore minimo è ${field.min}`;
      if (field.max !== undefined && cents > Math.round(field.max * 100)) return `il valore massimo è ${field.max}`;
      break;
    }
    case "date":
      if (!ISO_DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) return "inserisci una data valida";
      break;
    case "select":
      if (!field.options?.some((o) => o.value === value)) return "scegli una delle voci proposte";
      break;
    case "fiscalCode":
      if (!isValidFiscalCode(value.toUpperCase())) return "codice fiscale non valido";
      break;
    case "email":
      if (!z.email().safeParse(value).success) return "indirizzo e-mail non valido";
      break;
    case "plate":
      if (!PLATE.test(value.toUpperCase().replace(/\s+/g, ""))) return "targa non valida";
      break;
    case "text":
      if (value.length > 140) return "al massimo 140 caratteri";
      break;
  }
  if (field.pattern && !matchesFieldPattern(field.pattern, value)) return "il formato non è quello richiesto";
  return null;
}

function fieldSchema(field: Field): z.ZodType<string | undefined> {
  const text = z.string().trim();
  const checks = (value: string, ctx: z.RefinementCtx) => {
    const problem = fieldProblem(field, value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  };
  const normalise = (value: string) =>
    field.type === "fiscalCode" || field.type === "plate" ? value.toUpperCase().replace(/\s+/g, "") : value;
  const present = text.min(1).transform(normalise).superRefine(checks);
  if (field.required)
    return z.string({ error: "campo obbligatorio" }).trim().min(1, "campo obbligatorio").pipe(present);
  return z
    .string()
    .optional()
    .transform((v) => (v && v.trim() ? v : undefined))
    .pipe(present.optional());
}

/**
 * Builds the server-side validator of a council's spontaneous-payment form from its definition:
 * the same rules the admin set, applied to what the citizen sends (never trusting the browser).
 */
export function buildFormSchema(definition: FormDefinition) {
  return z.strictObject(Object.fromEntries(definition.fields.map((f) => [f.name, fieldSchema(f)])));
}

/** Fills `{{field}}` placeholders of the subject template, collapsing what is left empty. */
export function renderSubject(template: string, values: Record<string, string | undefined>): string {
  const filled = template.replace(/\{\{\s*([a-zA-Z0-9_]+)\s*\}\}/g, (_, name: string) => values[name] ?? "");
  return filled.replace(/\s+/g, " ").trim().slice(0, 140);
}
