import { z } from "zod";
import { amountRuleSchema, formDefinitionSchema, tariffsSchema, taxonomyCodeSchema } from "./payment-type.schema.ts";

/**
 * A standard service of the Region's catalogue (certificates, school canteen, fines, TARI, ...):
 * what every council's copy shares. The council adds its own accounts when it copies one.
 */
export const serviceTemplateSchema = z.object({
  code: z.string().regex(/^[A-Z0-9_]{2,35}$/),
  name: z.string().min(2).max(140),
  description: z.string().max(500).optional(),
  taxonomyCode: taxonomyCodeSchema,
  formDefinition: formDefinitionSchema.optional(),
  amountRule: amountRuleSchema.optional(),
  tariffs: tariffsSchema.default([]),
  published: z.boolean().default(true),
});
export type ServiceTemplate = z.infer<typeof serviceTemplateSchema>;
