import { z } from "zod";
import type { Database } from "../platform/db/database.ts";
import { Prisma } from "../generated/prisma/client.ts";
import { isValidIban, isValidVatNumber } from "../pagopa/index.ts";
import { recordAudit, type Actor } from "../audit/index.ts";
import { FormValidationError } from "../platform/errors.ts";
import { amountRuleSchema, formDefinitionSchema, tariffsSchema } from "./payment-type.schema.ts";
import type { TaxonomyCatalog } from "./taxonomy-catalog.ts";

const transferShare = z.object({
  accountIban: z
    .string()
    .transform((s) => s.replace(/\s+/g, "").toUpperCase())
    .refine(isValidIban, "IBAN non valido"),
  /** Another body's share (e.g. the province's TEFA); absent for the tenant's own accounts. */
  beneficiaryFiscalCode: z.string().refine(isValidVatNumber, "codice fiscale dell'ente non valido").optional(),
  shareBasisPoints: z.number().int().min(1).max(10_000),
});

export const paymentTypeInputSchema = z
  .object({
    code: z.string().regex(/^[A-Z0-9_]{2,35}$/, "codice: da 2 a 35 lettere maiuscole, cifre o _"),
    name: z.string().trim().min(2, "nome obbligatorio").max(140),
    description: z.string().trim().max(500).optional(),
    taxonomyCode: z.string().trim(),
    accountingChapter: z.string().trim().max(64).optional(),
    defaultAssessment: z.string().trim().max(64).optional(),
    defaultTransfers: z.array(transferShare).min(1, "almeno un conto di accredito").max(5, "al massimo 5 beneficiari"),
    availableOnPortal: z.boolean().default(false),
    availableAtCounter: z.boolean().default(true),
    availableAtPsp: z.boolean().default(false),
    formDefinition: formDefinitionSchema.optional(),
    amountRule: amountRuleSchema.optional(),
    tariffs: tariffsSchema.default([]),
    validFrom: z.coerce.date().optional(),
    validTo: z.coerce.date().optional(),
  })
  .superRefine((t, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (t.defaultTransfers.reduce((s, d) => s + d.shareBasisPoints, 0) !== 10_000)
      issue("defaultTransfers", "le quote dei beneficiari devono sommare al 100%");
    if (t.validFrom && t.validTo && t.validTo <= t.validFrom)
      issue("validTo", "la fine validità deve seguire l'inizio");
    if (t.availableOnPortal && !t.formDefinition) issue("formDefinition", "un servizio sul portale richiede il modulo");
    if ((t.availableOnPortal || t.availableAtPsp) && !t.amountRule)
      issue("amountRule", "un pagamento spontaneo richiede una regola per l'importo");
    const fields = new Set(t.formDefinition?.fields.map((f) => f.name) ?? []);
    if (t.formDefinition) {
      if (fields.size !== t.formDefinition.fields.length) issue("formDefinition", "due campi hanno lo stesso nome");
      for (const m of t.formDefinition.subjectTemplate.matchAll(/\{\{\s*([\w]+)\s*\}\}/g)) {
        if (!fields.has(m[1]!)) issue("formDefinition", `la causale usa il campo ${m[1]} che il modulo non ha`);
      }
    }
    if (
      t.amountRule &&
      (t.amountRule.kind === "choice" || t.amountRule.kind === "range") &&
      !fields.has(t.amountRule.field)
    ) {
      issue("amountRule", `la regola dell'importo usa il campo ${t.amountRule.field} che il modulo non ha`);
    }
    if (t.amountRule?.kind === "range" && t.amountRule.maxCents < t.amountRule.minCents)
      issue("amountRule", "l'importo massimo è minore del minimo");
  });

export type PaymentTypeInput = z.input<typeof paymentTypeInputSchema>;

/**
 * Creates or updates (by code) a tenant's payment type, as its admin configures it: the taxonomy
 * code must be in the official taxonomy and valid today, each own share must go to one of the
 * tenant's creditor accounts in force, the form and the amount rule must agree. The change and
 * its audit entry (before/after) commit together. A new type is a draft (not offered anywhere)
 * until saved with `publish`.
 * @throws FormValidationError FORM_INVALID with a message per field
 */
export async function savePaymentType(
  db: Database,
  tenant: { id: string; fiscalCode: string },
  input: PaymentTypeInput,
  actor: Actor,
  taxonomy: TaxonomyCatalog,
  now = new Date(),
  options: { publish?: boolean } = {},
): Promise<{ id: string; created: boolean }> {
  const parsed = paymentTypeInputSchema.safeParse(input);
  if (!parsed.success)
    throw new FormValidationError(
      Object.fromEntries(parsed.error.issues.map((i) => [i.path.join(".") || "form", i.message])),
    );
  const t = parsed.data;
  const taxonomyCheck = taxonomy.check(t.taxonomyCode, now);
  if (!taxonomyCheck.ok) throw new FormValidationError({ taxonomyCode: taxonomyCheck.reason });

  return db.withTenant(tenant.id, async (tx) => {
    const accounts = await tx.creditorAccount.findMany({
      where: { tenantId: tenant.id, OR: [{ effectiveTo: null }, { effectiveTo: { gte: now } }] },
      select: { iban: true },
    });
    const own = new Set(accounts.map((a) => a.iban));
    const notOwn = t.defaultTransfers.find(
      (d) => (!d.beneficiaryFiscalCode || d.beneficiaryFiscalCode === tenant.fiscalCode) && !own.has(d.accountIban),
    );
    if (notOwn)
      throw new FormValidationError({
        defaultTransfers: `l'IBAN ${notOwn.accountIban} non è un conto dell'ente in vigore`,
      });

    const data = {
      name: t.name,
      description: t.description ?? null,
      taxonomyCode: t.taxonomyCode,
      accountingChapter: t.accountingChapter ?? null,
      defaultAssessment: t.defaultAssessment ?? null,
      defaultTransfers: t.defaultTransfers,
      availableOnPortal: t.availableOnPortal,
      availableAtCounter: t.availableAtCounter,
      availableAtPsp: t.availableAtPsp,
      // Removing the form or the rule clears the column (SQL NULL), not just leaves it as it was.
      formDefinition: t.formDefinition ?? Prisma.DbNull,
      amountRule: (t.amountRule as Prisma.InputJsonValue | undefined) ?? Prisma.DbNull,
      tariffs: t.tariffs,
      validFrom: t.validFrom ?? null,
      validTo: t.validTo ?? null,
    };
    const before = await tx.paymentType.findUnique({ where: { tenantId_code: { tenantId: tenant.id, code: t.code } } });
    // A new type starts as a draft; saving keeps the state it has; only "publish" publishes.
    const status = options.publish ? ("PUBLISHED" as const) : before ? before.status : ("DRAFT" as const);
    const saved = before
      ? await tx.paymentType.update({ where: { id: before.id }, data: { ...data, status } })
      : await tx.paymentType.create({ data: { tenantId: tenant.id, code: t.code, ...data, status } });
    await recordAudit(tx, {
      tenantId: tenant.id,
      actor,
      action: before ? "payment-type.updated" : "payment-type.created",
      entityType: "PaymentType",
      entityId: saved.id,
      before: before ?? undefined,
      after: saved,
    });
    return { id: saved.id, created: !before };
  });
}
