import { z } from "zod";
import { counterPlanIssues, counterPositionSchema, type CounterPositionInput } from "../../server/positions/index.ts";
import { FormValidationError } from "../../server/platform/errors.ts";
import { endOfRomeDay, parseEuroToCents } from "../../server/pagopa/index.ts";

/** Installment rows the counter form offers. */
export const MAX_INSTALLMENT_ROWS = 6;

const text = z.string().catch("");
const formSchema = z.object({
  paymentTypeCode: text,
  debtorType: z.enum(["F", "G"]).catch("F"),
  fiscalCode: text,
  name: text,
  email: text.transform((s) => s.trim()),
  subject: text,
});

type Option = { amountCents: number; dueDate: Date };

/**
 * Turns the counter form (euro amounts, ISO dates, up to six installment rows) into the use
 * case's input. Every problem is reported in one round: amounts and dates that cannot be read
 * are collected first, then the rest of the form is checked with the use case's own schema.
 * @throws FormValidationError with a message per field path (see COUNTER_LABELS)
 */
export function counterInputFromForm(body: Record<string, unknown>): CounterPositionInput {
  const f = formSchema.parse(body);
  const errors: Record<string, string> = {};
  const read = (name: string) => (typeof body[name] === "string" ? (body[name] as string).trim() : "");
  const option = (amountField: string, dueField: string, path: string): Option | undefined => {
    const amount = read(amountField);
    const due = read(dueField);
    if (!amount && !due) return undefined;
    let amountCents = Number.NaN;
    let dueDate: Date | null = null;
    try {
      amountCents = parseEuroToCents(amount);
    } catch {
      errors[`${path}.amountCents`] = amount ? "importo non valido (es. 120,50)" : "indica l'importo";
    }
    try {
      dueDate = endOfRomeDay(due);
    } catch {
      errors[`${path}.dueDate`] = due ? "indica la scadenza con una data valida" : "indica la scadenza";
    }
    return { amountCents, dueDate: dueDate ?? new Date(Number.NaN) };
  };
  const single = option("unica_importo", "unica_scadenza", "single");
  const rows = Array.from({ length: MAX_INSTALLMENT_ROWS }, (_, i) =>
    option(`rata${i + 1}_importo`, `rata${i + 1}_scadenza`, `installments.${i}`),
  );
  // Rows are numbered as typed; a blank row in the middle would renumber the rest, so refuse it.
  const last = rows.findLastIndex((o) => o !== undefined);
  rows.slice(0, Math.max(0, last)).forEach((o, i) => {
    if (!o) errors[`installments.${i}`] = "compila le rate in ordine, senza righe vuote";
  });
  const installments = rows.filter((o): o is Option => o !== undefined);
  const input: CounterPositionInput = {
    paymentTypeCode: f.paymentTypeCode,
    debtor: { type: f.debtorType, fiscalCode: f.fiscalCode, name: f.name, ...(f.email ? { email: f.email } : {}) },
    subject: f.subject,
    single,
    installments: installments.length > 0 ? installments : undefined,
  };
  // The schema stops at an unreadable amount before its plan rules; those run here on what was read.
  const checked = counterPositionSchema.safeParse(input);
  const issues = [
    ...(checked.success ? [] : checked.error.issues),
    ...counterPlanIssues(input as Parameters<typeof counterPlanIssues>[0]),
  ];
  for (const issue of issues) {
    const path = issue.path.join(".") || "form";
    // An amount or date already reported as unreadable keeps its clearer message.
    if (!Object.keys(errors).some((k) => k === path || path.startsWith(`${k}.`))) errors[path] ??= issue.message;
  }
  if (Object.keys(errors).length > 0) throw new FormValidationError(errors);
  return input;
}
