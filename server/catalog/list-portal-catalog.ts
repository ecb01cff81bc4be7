import type { Database } from "../platform/db/database.ts";
import { formDefinitionSchema, amountRuleSchema, type AmountRule, type FormDefinition } from "./payment-type.schema.ts";

export interface CatalogEntry {
  code: string;
  name: string;
  description: string | null;
  form: FormDefinition;
  amountRule: AmountRule;
}

/** The services a council offers on the citizen portal right now, by name. */
export async function listPortalCatalog(db: Database, tenantId: string, now = new Date()): Promise<CatalogEntry[]> {
  const types = await db.withTenant(tenantId, (tx) =>
    tx.paymentType.findMany({
      where: {
        active: true,
        availableOnPortal: true,
        status: "PUBLISHED",
        OR: [{ validFrom: null }, { validFrom: { lte: now } }],
        AND: [{ OR: [{ validTo: null }, { validTo: { gt: now } }] }],
      },
      orderBy: { name: "asc" },
    }),
  );
  return types.flatMap((t) => {
    const form = formDefinitionSchema.safeParse(t.formDefinition);
    const rule = amountRuleSchema.safeParse(t.amountRule);
    // A half-configured type is not offered rather than shown broken.
    return form.success && rule.success
      ? [{ code: t.code, name: t.name, description: t.description, form: form.data, amountRule: rule.data }]
      : [];
  });
}
