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

export const taxonomyCodeSchema = z.string().refine(isValidTaxonomyCode, "codice tassonomico non valido");

export type FormDefinition = z.infer<typeof formDefinitionSchema>;
export type AmountRule = z.infer<typeof amountRuleSchema>;
