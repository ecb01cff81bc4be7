import { z } from "zod";
import type { Database } from "../platform/db/database.ts";
import { AppError, FormValidationError } from "../platform/errors.ts";
import {
  amountRuleSchema,
  type AmountRules,
  buildFormSchema,
  computeSpontaneousAmount,
  formDefinitionSchema,
  renderSubject,
  splitByShares,
} from "../catalog/index.ts";
import { createPosition, type CreatedPosition } from "./create-position.ts";
import { debtorSchema } from "./position.schema.ts";
import type { Tenant } from "../generated/prisma/client.ts";
import type { Actor } from "../audit/index.ts";

const defaultTransfersSchema = z.array(
  z.object({
    accountIban: z.string(),
    beneficiaryFiscalCode: z.string().optional(),
    taxonomyCode: z.string().optional(),
    shareBasisPoints: z.number().int(),
  }),
);

/** Days a spontaneous notice stays payable when the citizen downloads it to pay later. */
export const SPONTANEOUS_DUE_DAYS = 30;

export interface SpontaneousRequest {
  paymentTypeCode: string;
  debtor: z.input<typeof debtorSchema>;
  /** The form as posted: field name → text. */
  values: Record<string, unknown>;
  channel: "PORTAL" | "COUNTER";
  /** PORTAL: the SPID fiscal code of the logged-in citizen making it (only they see it in "Le mie posizioni"). */
  citizenFiscalCode?: string;
}

export interface SpontaneousResult {
  position: CreatedPosition;
  subject: string;
  amountCents: number;
}

/**
 * A citizen's (or a counter operator's) spontaneous payment: validates the council's form with
 * the rules its admin set, computes the amount and the subject, splits the amount over the
 * payment type's accounts and creates a position with one notice number.
 */
export async function createSpontaneousPosition(
  db: Database,
  amountRules: AmountRules,
  tenant: Pick<Tenant, "id" | "fiscalCode" | "segregationCode" | "auxDigit">,
  request: SpontaneousRequest,
  actor: Actor,
  now = new Date(),
): Promise<SpontaneousResult> {
  // The payment type is read, and the citizen's input validated, before any write transaction
  // is opened: validation runs admin-supplied rules on anonymous input, and nothing it does may
  // hold a connection or row locks. The position is then written in its own transaction.
  const type = await db.withTenant(tenant.id, (tx) =>
    tx.paymentType.findUnique({ where: { tenantId_code: { tenantId: tenant.id, code: request.paymentTypeCode } } }),
  );
  const available = request.channel === "PORTAL" ? type?.availableOnPortal : type?.availableAtCounter;
  const inValidity = type && (!type.validFrom || type.validFrom <= now) && (!type.validTo || type.validTo > now);
  if (
    !type ||
    !type.active ||
    type.status !== "PUBLISHED" ||
    !available ||
    !inValidity ||
    !type.formDefinition ||
    !type.amountRule
  ) {
    throw new AppError("PAYMENT_TYPE_UNAVAILABLE", "Servizio non disponibile", 404);
  }
  const form = formDefinitionSchema.parse(type.formDefinition);
  const parsed = buildFormSchema(form).safeParse(request.values);
  const debtor = debtorSchema.safeParse(request.debtor);
  const fieldErrors: Record<string, string> = {};
  if (!parsed.success)
    for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0] ?? "_form")] ??= issue.message;
  if (!debtor.success)
    for (const issue of debtor.error.issues) fieldErrors[`debtor.${String(issue.path[0])}`] ??= issue.message;
  if (!parsed.success || !debtor.success) throw new FormValidationError(fieldErrors);

  const values = parsed.data as Record<string, string | undefined>;
  const amountCents = computeSpontaneousAmount(amountRules, amountRuleSchema.parse(type.amountRule), values, now);
  const subject = renderSubject(form.subjectTemplate, values);
  const defaults = defaultTransfersSchema.parse(type.defaultTransfers);
  const parts = splitByShares(
    amountCents,
    defaults.map((d) => d.shareBasisPoints),
  );
  const position = await createPosition(
    db,
    tenant,
    {
      paymentTypeCode: type.code,
      origin: request.channel,
      ...(request.channel === "PORTAL" && request.citizenFiscalCode
        ? { portalCitizenFiscalCode: request.citizenFiscalCode }
        : {}),
      debtor: debtor.data,
      subject,
      data: values,
      single: {
        amountCents,
        dueDate: new Date(now.getTime() + SPONTANEOUS_DUE_DAYS * 86_400_000),
        transfers: defaults.map((d, i) => ({
          iban: d.accountIban,
          beneficiaryFiscalCode: d.beneficiaryFiscalCode,
          amountCents: parts[i]!,
          taxonomyCode: d.taxonomyCode ?? type.taxonomyCode,
          remittanceText: subject,
        })),
      },
    },
    actor,
  );
  return { position, subject, amountCents };
}
