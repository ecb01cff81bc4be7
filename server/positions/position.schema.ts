import { z } from "zod";
import { isValidFiscalCode, isValidIban, isValidTaxonomyCode, isValidVatNumber } from "../pagopa/index.ts";

/** Highest amount an option or transfer may carry (int4 cents; see docs/decisions). */
export const MAX_AMOUNT_CENTS = 2_147_483_647;

const cents = z.number().int().positive().max(MAX_AMOUNT_CENTS);

export const stampSchema = z.object({
  type: z.string().regex(/^\d{2}$/),
  documentHash: z.string().min(1).max(72),
  province: z.string().regex(/^[A-Z]{2}$/),
});

/** One line of a transfer's split onto the council's budget (MyPay `bilancio`: capitolo, ufficio, accertamento). */
export const accountingLineSchema = z.object({
  budgetChapter: z.string().trim().min(1).max(64),
  office: z.string().trim().max(64).optional(),
  assessment: z.string().trim().max(64).optional(),
  amountCents: z.number().int().positive().max(MAX_AMOUNT_CENTS),
});
export type AccountingLine = z.output<typeof accountingLineSchema>;

export const transferInputSchema = z
  .object({
    beneficiaryFiscalCode: z.string().refine(isValidVatNumber, "codice fiscale dell'ente non valido").optional(),
    iban: z.string().refine(isValidIban, "IBAN non valido").optional(),
    isPostalIban: z.boolean().default(false),
    stamp: stampSchema.optional(),
    amountCents: cents,
    taxonomyCode: z.string().refine(isValidTaxonomyCode, "codice tassonomico non valido"),
    remittanceText: z.string().trim().min(1).max(140),
    metadata: z
      .array(z.object({ key: z.string().min(1).max(140), value: z.string().max(140) }))
      .max(10)
      .default([]),
    /** Accounting split; absent: the payment type's defaults (catalog). */
    budgetChapter: z.string().trim().min(1).max(64).optional(),
    assessment: z.string().trim().min(1).max(64).optional(),
    accountingLines: z.array(accountingLineSchema).max(20).default([]),
  })
  .refine((t) => Boolean(t.iban) !== Boolean(t.stamp), {
    message: "ogni versamento ha un IBAN oppure una marca da bollo digitale, non entrambi",
  })
  .refine(
    (t) => t.accountingLines.length === 0 || t.accountingLines.reduce((s, l) => s + l.amountCents, 0) === t.amountCents,
    { message: "le voci di bilancio devono sommare all'importo del versamento", path: ["accountingLines"] },
  );

export const optionInputSchema = z
  .object({
    amountCents: cents,
    dueDate: z.coerce.date(),
    expiresAt: z.coerce.date().optional(),
    description: z.string().max(140).optional(),
    /**
     * A notice number the council already issued (imports: MyPay codIuv, GovPay numeroAvviso).
     * Only an aux-3 NAV of this council's segregation code below the permuted range is accepted,
     * so it can never meet a number the platform allocates; the unique index refuses reuse.
     */
    nav: z
      .string()
      .regex(/^3\d{17}$/)
      .optional(),
    transfers: z.array(transferInputSchema).min(1).max(5),
  })
  .refine((o) => o.transfers.reduce((sum, t) => sum + t.amountCents, 0) === o.amountCents, {
    message: "la somma dei versamenti deve essere uguale all'importo",
    path: ["transfers"],
  });

export const debtorSchema = z.object({
  type: z.enum(["F", "G"]).default("F"),
  fiscalCode: z
    .string()
    .transform((s) => s.trim().toUpperCase())
    .refine((s) => s === "ANONIMO" || isValidFiscalCode(s), "codice fiscale non valido"),
  name: z.string().trim().min(1, "campo obbligatorio").max(140, "al massimo 140 caratteri"),
  email: z.email("indirizzo e-mail non valido").optional(),
  address: z.string().max(140).optional(),
  city: z.string().max(35).optional(),
  postalCode: z.string().max(16).optional(),
  province: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .optional(),
});

export const createPositionSchema = z
  .object({
    iupd: z
      .string()
      .regex(/^[\w.-]{1,35}$/)
      .optional(),
    externalId: z.string().min(1).max(64).optional(),
    paymentTypeCode: z.string().max(35).optional(),
    origin: z.enum(["PORTAL", "COUNTER", "API", "FILE", "PSP", "SEED"]).default("API"),
    /** PORTAL only: the SPID fiscal code of the citizen who made it (absent when anonymous). */
    portalCitizenFiscalCode: z
      .string()
      .regex(/^[A-Z0-9]{16}$/)
      .optional(),
    debtor: debtorSchema,
    subject: z.string().trim().min(1).max(140),
    validFrom: z.coerce.date().optional(),
    publish: z.boolean().default(true),
    data: z.record(z.string(), z.unknown()).default({}),
    single: optionInputSchema.optional(),
    installments: z.array(optionInputSchema).min(2).max(60).optional(),
  })
  .refine((p) => p.single || p.installments, { message: "serve almeno un'opzione di pagamento", path: ["single"] });

export type CreatePositionInput = z.input<typeof createPositionSchema>;
export type CreatePositionCommand = z.output<typeof createPositionSchema>;
