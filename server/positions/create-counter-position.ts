import { z } from "zod";
import type { Database } from "../platform/db/database.ts";
import { AppError, FormValidationError } from "../platform/errors.ts";
import type { Actor } from "../audit/index.ts";
import { splitByShares, tariffsSchema } from "../catalog/index.ts";
import { createPosition, type CreatedPosition } from "./create-position.ts";
import { debtorSchema } from "./position.schema.ts";
import { counterPlanIssues } from "./counter-plan.ts";

const defaultTransfersSchema = z.array(
  z.object({
    accountIban: z.string(),
    beneficiaryFiscalCode: z.string().optional(),
    taxonomyCode: z.string().optional(),
    shareBasisPoints: z.number().int(),
  }),
);

const optionSchema = z.object({
  amountCents: z.number().int().positive("importo maggiore di zero"),
  dueDate: z.date(),
});

export const counterPositionSchema = z
  .object({
    paymentTypeCode: z.string().min(1, "scegli il tipo di pagamento"),
    debtor: debtorSchema,
    subject: z.string().trim().min(3, "indica la causale").max(140, "al massimo 140 caratteri"),
    single: optionSchema.optional(),
    installments: z.array(optionSchema).max(12, "al massimo 12 rate").optional(),
  })
  .superRefine((p, ctx) => {
    for (const issue of counterPlanIssues(p)) ctx.addIssue({ code: "custom", ...issue });
  });
export type CounterPositionInput = z.input<typeof counterPositionSchema>;

/**
 * A debt created at the council's counter: the operator picks a payment type available at the
 * counter (and, if the council restricted them, one they may handle), the debtor, the amount in
 * one payment and/or installments. Each option is split across the type's beneficiaries
 * (multi-beneficiary, e.g. TARI with the province's TEFA) by their shares; postal accounts are
 * flagged so the notice gets its Poste bulletin. A type with counter tariffs takes only the
 * amount of a tariff the caller's roles may use (`tariffRoles`; null: any tariff), in one payment.
 * @throws FormValidationError per field; AppError PAYMENT_TYPE_NOT_ALLOWED (403)
 */
export async function createCounterPosition(
  db: Database,
  tenant: { id: string; fiscalCode: string; segregationCode: string; auxDigit: number },
  input: CounterPositionInput,
  actor: Actor,
  allowedTypeCodes: string[] | null,
  requestId?: string,
  tariffRoles: string[] | null = null,
): Promise<CreatedPosition> {
  const parsed = counterPositionSchema.safeParse(input);
  if (!parsed.success)
    throw new FormValidationError(
      Object.fromEntries(parsed.error.issues.map((i) => [i.path.join(".") || "form", i.message])),
    );
  const p = parsed.data;
  if (allowedTypeCodes && !allowedTypeCodes.includes(p.paymentTypeCode))
    throw new AppError("PAYMENT_TYPE_NOT_ALLOWED", "Non sei abilitato a questo tipo di pagamento", 403);
  return db.withTenant(tenant.id, async (tx) => {
    const type = await tx.paymentType.findUnique({
      where: { tenantId_code: { tenantId: tenant.id, code: p.paymentTypeCode } },
    });
    if (!type || !type.active || type.status !== "PUBLISHED" || !type.availableAtCounter)
      throw new FormValidationError({ paymentTypeCode: "tipo di pagamento non disponibile allo sportello" });
    tariffProblem(type.tariffs, tariffRoles, p);
    const defaults = defaultTransfersSchema.parse(type.defaultTransfers);
    const postal = new Set(
      (
        await tx.creditorAccount.findMany({ where: { tenantId: tenant.id, isPostal: true }, select: { iban: true } })
      ).map((a) => a.iban),
    );
    const option = (o: { amountCents: number; dueDate: Date }, label: string) => {
      const parts = splitByShares(
        o.amountCents,
        defaults.map((d) => d.shareBasisPoints),
      );
      return {
        amountCents: o.amountCents,
        dueDate: o.dueDate,
        description: label,
        transfers: defaults.map((d, i) => ({
          iban: d.accountIban,
          isPostalIban: postal.has(d.accountIban),
          beneficiaryFiscalCode: d.beneficiaryFiscalCode,
          amountCents: parts[i]!,
          taxonomyCode: d.taxonomyCode ?? type.taxonomyCode,
          remittanceText: p.subject,
        })),
      };
    };
    const count = p.installments?.length ?? 0;
    return createPosition(
      db,
      tenant,
      {
        paymentTypeCode: type.code,
        origin: "COUNTER",
        debtor: p.debtor,
        subject: p.subject,
        single: p.single ? option(p.single, "Unica soluzione") : undefined,
        installments: count >= 2 ? p.installments!.map((o, i) => option(o, `Rata ${i + 1} di ${count}`)) : undefined,
      },
      actor,
      { tx, requestId },
    );
  });
}

const euro = (cents: number) => `${(cents / 100).toFixed(2).replace(".", ",")} €`;

/**
 * Refuses an amount that is not one of the type's tariffs allowed to these roles. The tariffs
 * were checked when the admin saved them; a row that no longer parses offers no tariff at all
 * (fails closed) rather than any amount.
 * @throws FormValidationError
 */
function tariffProblem(
  stored: unknown,
  roles: string[] | null,
  p: { single?: { amountCents: number }; installments?: unknown[] },
): void {
  const parsed = tariffsSchema.safeParse(stored);
  const tariffs = parsed.success ? parsed.data : [{ code: "?", label: "?", amountCents: -1, roles: [] }];
  if (tariffs.length === 0) return;
  const allowed = tariffs.filter((t) => roles === null || t.roles.some((r) => roles.includes(r)));
  if (allowed.length === 0)
    throw new FormValidationError({ paymentTypeCode: "nessuna tariffa di questo tipo è consentita al tuo ruolo" });
  if (p.installments?.length)
    throw new FormValidationError({ installments: "questo tipo si paga con una tariffa, in un'unica soluzione" });
  if (!p.single || !allowed.some((t) => t.amountCents === p.single!.amountCents))
    throw new FormValidationError({
      "single.amountCents": `importo non previsto: scegli una tariffa (${allowed.map((t) => `${t.label} ${euro(t.amountCents)}`).join("; ")})`,
    });
}
