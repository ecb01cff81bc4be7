import { z } from "zod";
import { isValidIban, isValidSegregationCode, isValidVatNumber } from "../pagopa/index.ts";
import { amountRuleSchema, formDefinitionSchema, serviceTemplateSchema, taxonomyCodeSchema } from "../catalog/index.ts";
import { createPositionSchema } from "../positions/index.ts";

const orgFiscalCode = z.string().refine(isValidVatNumber, "codice fiscale dell'ente non valido");

export const paymentTypePackSchema = z.object({
  code: z.string().regex(/^[A-Z0-9_]{1,35}$/),
  name: z.string().min(1).max(140),
  description: z.string().optional(),
  taxonomyCode: taxonomyCodeSchema,
  accountingChapter: z.string().optional(),
  defaultTransfers: z
    .array(
      z.object({
        accountIban: z.string().refine(isValidIban),
        beneficiaryFiscalCode: orgFiscalCode.optional(),
        taxonomyCode: taxonomyCodeSchema.optional(),
        /** Share of the amount in basis points (10000 = all of it). */
        shareBasisPoints: z.number().int().min(1).max(10_000),
      }),
    )
    .min(1)
    .max(5),
  availableOnPortal: z.boolean().default(false),
  availableAtCounter: z.boolean().default(true),
  availableAtPsp: z.boolean().default(false),
  formDefinition: formDefinitionSchema.optional(),
  amountRule: amountRuleSchema.optional(),
});

export const tenantPackSchema = z.object({
  fiscalCode: orgFiscalCode,
  ipaCode: z.string().regex(/^[a-z0-9_]{2,35}$/),
  name: z.string().min(1).max(100),
  sector: z.string().optional(),
  info: z.string().optional(),
  segregationCode: z.string().refine(isValidSegregationCode, "codice di segregazione non valido"),
  cbill: z
    .string()
    .regex(/^[A-Z0-9]{5}$/)
    .optional(),
  postalAccount: z
    .string()
    .regex(/^\d{12}$/)
    .optional(),
  status: z.enum(["ONBOARDING", "TEST", "LIVE", "SUSPENDED"]),
  stationCode: z.string(),
  contactEmail: z.email().optional(),
  branding: z.object({ primaryColor: z.string().optional(), secondLanguage: z.enum(["de"]).optional() }).default({}),
  accounts: z.array(
    z.object({
      iban: z.string().refine(isValidIban),
      isPostal: z.boolean().default(false),
      holder: z.string(),
      effectiveFrom: z.coerce.date(),
    }),
  ),
  paymentTypes: z.array(paymentTypePackSchema),
  positions: z.array(createPositionSchema.and(z.object({ externalId: z.string() }))).default([]),
});

/** A reviewable description of an intermediary and its tenants, applied by the seed/CLI. */
export const platformPackSchema = z.object({
  intermediary: z.object({ fiscalCode: orgFiscalCode, name: z.string() }),
  stations: z
    .array(
      z.object({
        code: z.string().regex(/^\d{11}_\d{2}$/),
        environment: z.enum(["TEST", "PROD"]),
        description: z.string(),
      }),
    )
    .min(1),
  tenants: z.array(tenantPackSchema),
  /** The Region's catalogue of standard services councils copy (catalog/copy-service-template.ts). */
  serviceTemplates: z.array(serviceTemplateSchema).default([]),
});

export type PlatformPack = z.input<typeof platformPackSchema>;
