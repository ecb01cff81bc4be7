import { z } from "zod";
import type { Database } from "../platform/db/database.ts";
import { AppError } from "../platform/errors.ts";
import { amountRuleSchema, type AmountRules } from "../catalog/index.ts";
import type { Tenant } from "../generated/prisma/client.ts";
import { DEFAULT_NODO_TX_MS, withBoundedTenantTx } from "./bounded-tx.ts";
import { createPosition } from "./create-position.ts";
import { findNotice } from "./payable-notice.repository.ts";
import { requireNotice } from "./notice-state.ts";
import { toPayableNotice, type PayableNoticeTenant, type PayableNotice } from "./payable-notice.ts";
import type { NodoCallOptions } from "./verify-payment-notice.ts";

/** Days a notice created on a PSP's demand stays payable (the citizen is at the counter now). */
export const DEMAND_DUE_DAYS = 30;

export interface DemandInput {
  paymentTypeCode: string;
  debtor: { type: "F" | "G"; fiscalCode: string; name: string };
  subject: string;
  /** The service-specific data, kept on the position and used by `choice` amount rules. */
  data: Record<string, string>;
}

const defaultTransfersSchema = z
  .array(
    z.object({
      accountIban: z.string(),
      beneficiaryFiscalCode: z.string().optional(),
      taxonomyCode: z.string().optional(),
      shareBasisPoints: z.number().int().min(1).max(10_000),
    }),
  )
  .min(1)
  .max(5);

const unavailable = (why: string) => new AppError("DEMAND_NOT_AVAILABLE", why, 422);

/**
 * Creates a position on a PSP's demand (paDemandPaymentNotice) for a payment type the council
 * offers at PSPs, and returns its notice. The amount comes from the payment type's rule
 * (`fixed`, or `choice` on a field of the service data); the split from its default transfers.
 * @throws AppError DEMAND_NOT_AVAILABLE when the service cannot be paid this way now.
 */
export async function demandPaymentNotice(
  db: Database,
  amountRules: AmountRules,
  tenant: PayableNoticeTenant & Pick<Tenant, "segregationCode" | "auxDigit">,
  input: DemandInput,
  options: NodoCallOptions & { requestId?: string } = {},
): Promise<PayableNotice> {
  const now = options.now ?? new Date();
  return withBoundedTenantTx(db, tenant.id, options.timeoutMs ?? DEFAULT_NODO_TX_MS, async (tx) => {
    const type = await tx.paymentType.findUnique({
      where: { tenantId_code: { tenantId: tenant.id, code: input.paymentTypeCode } },
    });
    if (!type || !type.active || type.status !== "PUBLISHED" || !type.availableAtPsp)
      throw unavailable(`Payment type ${input.paymentTypeCode} is not offered at PSPs`);
    if ((type.validFrom && type.validFrom > now) || (type.validTo && type.validTo < now))
      throw unavailable("Payment type not valid today");
    const amountCents = amountFor(type.amountRule, input.data);
    const shares = defaultTransfersSchema.safeParse(type.defaultTransfers);
    if (!shares.success) throw new AppError("PAYMENT_TYPE_TRANSFERS_INVALID", "Default transfers are not valid", 500);
    const accounts = await tx.creditorAccount.findMany({
      where: { tenantId: tenant.id, iban: { in: shares.data.map((s) => s.accountIban) } },
      select: { iban: true, isPostal: true },
    });
    const postal = new Set(accounts.filter((a) => a.isPostal).map((a) => a.iban));
    const split = shares.data.map((s) => Math.floor((amountCents * s.shareBasisPoints) / 10_000));
    split[0] = split[0]! + amountCents - split.reduce((a, b) => a + b, 0);
    if (split.some((c) => c < 1)) throw unavailable("Amount too small for the payment type's split");

    const created = await createPosition(
      db,
      tenant,
      {
        paymentTypeCode: type.code,
        origin: "PSP",
        debtor: input.debtor,
        subject: input.subject.slice(0, 140),
        data: input.data,
        publish: true,
        single: {
          amountCents,
          dueDate: new Date(now.getTime() + DEMAND_DUE_DAYS * 86_400_000),
          transfers: shares.data.map((s, i) => ({
            iban: s.accountIban,
            isPostalIban: postal.has(s.accountIban),
            beneficiaryFiscalCode: s.beneficiaryFiscalCode,
            amountCents: split[i]!,
            taxonomyCode: s.taxonomyCode ?? type.taxonomyCode,
            remittanceText: input.subject.slice(0, 140),
          })),
        },
      },
      { type: "nodo", id: "paDemandPaymentNotice" },
      { tx, requestId: options.requestId },
    ).catch((err: unknown) => {
      if (err instanceof z.ZodError)
        throw unavailable(`Demand data not acceptable: ${err.issues.map((i) => i.message).join("; ")}`);
      throw err;
    });
    const notice = requireNotice(await findNotice(tx, tenant.id, created.options[0]!.nav));
    return toPayableNotice(amountRules, tenant, notice, now);
  });
}

function amountFor(rawRule: unknown, data: Record<string, string>): number {
  const rule = amountRuleSchema.safeParse(rawRule);
  if (!rule.success) throw unavailable("The payment type has no usable amount rule");
  if (rule.data.kind === "fixed") return rule.data.amountCents;
  if (rule.data.kind === "choice") {
    const { field, choices } = rule.data;
    const chosen = choices.find((c) => c.value === data[field]);
    if (chosen) return chosen.amountCents;
    throw unavailable(`No amount for ${field}=${data[field] ?? "(missing)"}`);
  }
  throw unavailable(`A ${rule.data.kind} amount rule needs an amount the PSP cannot give`);
}
