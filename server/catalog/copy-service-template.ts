import { z } from "zod";
import type { Database } from "../platform/db/database.ts";
import { recordAudit, type Actor } from "../audit/index.ts";
import { FormValidationError } from "../platform/errors.ts";
import type { PaymentTypeInput } from "./save-payment-type.ts";
import { savePaymentType } from "./save-payment-type.ts";
import type { TaxonomyCatalog } from "./taxonomy-catalog.ts";

export const copyTemplateSchema = z.object({
  templateCode: z.string().min(1, "scegli un servizio del catalogo"),
  code: z
    .string()
    .trim()
    .transform((s) => s.toUpperCase())
    .pipe(z.string().regex(/^[A-Z0-9_]{2,35}$/, "codice: da 2 a 35 lettere maiuscole, cifre o _")),
  accountIban: z.string().trim().min(1, "scegli il conto di accredito"),
});
export type CopyTemplateInput = z.input<typeof copyTemplateSchema>;

/**
 * A council's admin copies a standard service of the Region's catalogue into its own payment
 * types, with its code and the account that collects it. The copy is a draft (savePaymentType
 * checks the taxonomy code, the account and the form as for any type), offered on the portal
 * when the template has a form and an amount rule, and at the counter; the admin then edits and
 * publishes it. A code the council already uses is refused, never overwritten.
 * @throws FormValidationError FORM_INVALID
 */
export async function copyServiceTemplate(
  db: Database,
  tenant: { id: string; fiscalCode: string },
  input: CopyTemplateInput,
  actor: Actor,
  taxonomy: TaxonomyCatalog,
  now = new Date(),
): Promise<{ id: string; code: string }> {
  const parsed = copyTemplateSchema.safeParse(input);
  if (!parsed.success)
    throw new FormValidationError(
      Object.fromEntries(parsed.error.issues.map((i) => [i.path.join(".") || "form", i.message])),
    );
  const c = parsed.data;
  const [template, taken] = await db.withTenant(tenant.id, (tx) =>
    Promise.all([
      tx.serviceTemplate.findFirst({ where: { code: c.templateCode, published: true } }),
      tx.paymentType.findUnique({
        where: { tenantId_code: { tenantId: tenant.id, code: c.code } },
        select: { id: true },
      }),
    ]),
  );
  if (!template) throw new FormValidationError({ templateCode: "servizio non presente nel catalogo regionale" });
  if (taken) throw new FormValidationError({ code: `l'ente ha già un tipo di pagamento con codice ${c.code}` });
  const withForm = Boolean(template.formDefinition && template.amountRule);
  const saved = await savePaymentType(
    db,
    tenant,
    {
      code: c.code,
      name: template.name,
      description: template.description ?? undefined,
      taxonomyCode: template.taxonomyCode,
      defaultTransfers: [{ accountIban: c.accountIban, shareBasisPoints: 10_000 }],
      availableOnPortal: withForm,
      availableAtCounter: true,
      formDefinition: (template.formDefinition ?? undefined) as PaymentTypeInput["formDefinition"],
      amountRule: (template.amountRule ?? undefined) as PaymentTypeInput["amountRule"],
      tariffs: template.tariffs as PaymentTypeInput["tariffs"],
    },
    actor,
    taxonomy,
    now,
  );
  await db.withTenant(tenant.id, (tx) =>
    recordAudit(tx, {
      tenantId: tenant.id,
      actor,
      action: "payment-type.from-template",
      entityType: "PaymentType",
      entityId: saved.id,
      after: { templateCode: template.code, code: c.code },
    }),
  );
  return { id: saved.id, code: c.code };
}
