import { z } from "zod";
import { isValidTaxonomyCode } from "../pagopa/index.ts";
import { fieldPatternProblem } from "./field-pattern.ts";

/** A field of the parametric spontaneous-payment form ("bollettino bianco parametrico"). */
export const formFieldSchema = z.object({
  name: z.string().regex(/^[a-z][a-zA-Z0-9_]{0,39}$/, "nome campo: lettere e numeri, inizia con minuscola"),
  label: z.string().min(1).max(80),
  type: z.enum(["text", "number", "date", "select", "fiscalCode", "email", "plate"]),
  required: z.boolean().default(false),
  /** Checked with RE2 (linear time, see field-pattern.ts): what RE2 cannot run is refused here. */
  pattern: z
    .string()
    .max(200)
    .superRefine((pattern, ctx) => {
      const problem = fieldPatternProblem(pattern);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .optional(),
  help: z.string().max(300).optional(),
  options: z.array(z.object({ value: z.string().min(1).max(60), label: z.string().min(1).max(120) })).optional(),
  min: z.number().optional(),
  max: z.number().optional(),
});

export const formDefinitionSchema = z.object({
  fields: z.array(formFieldSchema).max(30),
  /** Handlebars-style template with `{{fieldName}}` placeholders, building the position subject. */
  subjectTemplate: z.string().min(1).max(140),
});

/** How the amount of a spontaneous payment is decided. */
export const amountRuleSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("fixed"), amountCents: z.number().int().positive() }),
  z.object({
    kind: z.literal("choice"),
    field: z.string(),
    choices: z
      .array(z.object({ value: z.string(), label: z.string(), amountCents: z.number().int().positive() }))
      .min(1),
  }),
  z.object({
    kind: z.literal("range"),
    field: z.string(),
    minCents: z.number().int().positive(),
    maxCents: z.number().int().positive(),
  }),
  z.object({
    kind: z.literal("plugin"),
    plugin: z.string().min(1),
    params: z.record(z.string(), z.unknown()).default({}),
  }),
]);

/** Staff roles a counter tariff may be restricted to (the council's own roles that create positions). */
export const TARIFF_ROLES = ["tenant-admin", "operator"] as const;

/**
 * A named counter tariff ("Carta d'identità ordinaria" 22,21 €): when a payment type has any,
 * the counter offers only these amounts, each to the roles listed.
 */
export const tariffSchema = z.object({
  code: z.string().regex(/^[A-Z0-9_]{1,20}$/, "codice tariffa: lettere maiuscole, cifre o _"),
  label: z.string().trim().min(1, "indica il nome della tariffa").max(80, "al massimo 80 caratteri"),
  amountCents: z.number().int("importo non valido").positive("importo maggiore di zero"),
  roles: z.array(z.enum(TARIFF_ROLES)).min(1, "indica chi può usare la tariffa"),
});
export const tariffsSchema = z
  .array(tariffSchema)
  .max(20, "al massimo 20 tariffe")
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((t, i) => {
      if (seen.has(t.code)) ctx.addIssue({ code: "custom", path: [i, "code"], message: `tariffa ${t.code} ripetuta` });
      seen.add(t.code);
    });
  });
export type Tariff = z.infer<typeof tariffSchema>;

export const taxonomyCodeSchema = z.string().refine(isValidTaxonomyCode, "codice tassonomico non valido");

export type FormDefinition = z.infer<typeof formDefinitionSchema>;
export type AmountRule = z.infer<typeof amountRuleSchema>;
