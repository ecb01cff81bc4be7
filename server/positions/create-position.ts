import { randomUUID } from "node:crypto";
import { transferAccounting } from "./accounting-split.ts";
import type { Database, Tx } from "../platform/db/database.ts";
import { AppError } from "../platform/errors.ts";
import { recordAudit, type Actor } from "../audit/index.ts";
import { emitEvent } from "../outbox/index.ts";
import { positionCreatedEvent } from "./position-events.ts";
import { planNoticeNumbers } from "./plan-notice-numbers.ts";
import { createPositionSchema, type CreatePositionCommand, type CreatePositionInput } from "./position.schema.ts";
import type { Tenant } from "../generated/prisma/client.ts";

export interface CreatedPosition {
  id: string;
  iupd: string;
  status: string;
  options: Array<{
    id: string;
    nav: string;
    iuv: string;
    amountCents: number;
    dueDate: Date;
    installmentNumber: number | null;
  }>;
}

/**
 * Creates a debt position with its options and transfers in one transaction of the tenant,
 * allocating one NAV per option. The same `externalId` twice is refused with a conflict, so a
 * council system that retries a load does not create the debt twice.
 */
export async function createPosition(
  db: Database,
  tenant: Pick<Tenant, "id" | "fiscalCode" | "segregationCode" | "auxDigit">,
  input: CreatePositionInput,
  actor: Actor,
  options: { tx?: Tx; requestId?: string } = {},
): Promise<CreatedPosition> {
  const cmd = createPositionSchema.parse(input);
  const run = (tx: Tx) => insertPosition(tx, tenant, cmd, actor, db.iuvPermutationSecret, options.requestId);
  return options.tx ? run(options.tx) : db.withTenant(tenant.id, run);
}

async function insertPosition(
  tx: Tx,
  tenant: Pick<Tenant, "id" | "fiscalCode" | "segregationCode" | "auxDigit">,
  cmd: CreatePositionCommand,
  actor: Actor,
  iuvPermutationSecret: string,
  requestId?: string,
): Promise<CreatedPosition> {
  if (cmd.externalId) {
    const existing = await tx.debtPosition.findUnique({
      where: { tenantId_externalId: { tenantId: tenant.id, externalId: cmd.externalId } },
      select: { id: true },
    });
    if (existing) throw new AppError("POSITION_DUPLICATE", `A position with externalId ${cmd.externalId} exists`, 409);
  }
  const paymentType = cmd.paymentTypeCode
    ? await tx.paymentType.findUnique({ where: { tenantId_code: { tenantId: tenant.id, code: cmd.paymentTypeCode } } })
    : null;
  if (cmd.paymentTypeCode && !paymentType) {
    throw new AppError("PAYMENT_TYPE_UNKNOWN", `Unknown payment type ${cmd.paymentTypeCode}`, 422);
  }

  const plan = [
    ...(cmd.single ? [{ kind: "SINGLE" as const, n: null, option: cmd.single }] : []),
    ...(cmd.installments ?? []).map((option, i) => ({ kind: "INSTALLMENT" as const, n: i + 1, option })),
  ];
  const numbers = await planNoticeNumbers(
    tx,
    tenant,
    plan.map((p) => p.option.nav),
    iuvPermutationSecret,
  );
  const dueDates = plan.map((p) => p.option.dueDate.getTime());
  const iupd = cmd.iupd ?? `${tenant.fiscalCode}-${randomUUID().slice(0, 23)}`;
  const now = new Date();

  const position = await tx.debtPosition.create({
    data: {
      tenantId: tenant.id,
      iupd,
      externalId: cmd.externalId ?? null,
      paymentTypeId: paymentType?.id ?? null,
      origin: cmd.origin,
      portalCitizenFiscalCode: cmd.origin === "PORTAL" ? (cmd.portalCitizenFiscalCode ?? null) : null,
      debtorType: cmd.debtor.type,
      debtorFiscalCode: cmd.debtor.fiscalCode,
      debtorName: cmd.debtor.name,
      debtorEmail: cmd.debtor.email ?? null,
      debtorAddress: cmd.debtor.address ?? null,
      debtorCity: cmd.debtor.city ?? null,
      debtorPostalCode: cmd.debtor.postalCode ?? null,
      debtorProvince: cmd.debtor.province ?? null,
      subject: cmd.subject,
      status: cmd.publish ? "VALID" : "DRAFT",
      validFrom: cmd.validFrom ?? null,
      dueDate: new Date(Math.max(...dueDates)),
      data: cmd.data as object,
      publishedAt: cmd.publish ? now : null,
    },
  });

  const created: CreatedPosition["options"] = [];
  for (const [i, step] of plan.entries()) {
    const { nav, iuv } = numbers[i]!;
    const option = await tx.paymentOption.create({
      data: {
        tenantId: tenant.id,
        positionId: position.id,
        kind: step.kind,
        installmentNumber: step.n,
        installmentCount: step.kind === "INSTALLMENT" ? plan.length - (cmd.single ? 1 : 0) : null,
        nav,
        iuv,
        amountCents: step.option.amountCents,
        description: step.option.description ?? null,
        dueDate: step.option.dueDate,
        expiresAt: step.option.expiresAt ?? null,
        transfers: {
          // tenant_id comes from the option through the composite (tenant_id, option_id) key.
          create: step.option.transfers.map((t, index) => ({
            index: index + 1,
            beneficiaryFiscalCode: t.beneficiaryFiscalCode ?? tenant.fiscalCode,
            iban: t.iban?.replace(/\s+/g, "").toUpperCase() ?? null,
            isPostalIban: t.isPostalIban,
            stampType: t.stamp?.type ?? null,
            stampDocumentHash: t.stamp?.documentHash ?? null,
            stampProvince: t.stamp?.province ?? null,
            amountCents: t.amountCents,
            taxonomyCode: t.taxonomyCode,
            remittanceText: t.remittanceText,
            metadata: t.metadata,
            ...transferAccounting(t, paymentType),
          })),
        },
      },
    });
    created.push({
      id: option.id,
      nav,
      iuv,
      amountCents: option.amountCents,
      dueDate: option.dueDate,
      installmentNumber: step.n,
    });
  }

  await recordAudit(tx, {
    tenantId: tenant.id,
    actor,
    action: "position.create",
    entityType: "DebtPosition",
    entityId: position.id,
    after: { iupd, subject: cmd.subject, options: created.map((o) => ({ nav: o.nav, amountCents: o.amountCents })) },
    requestId,
  });
  await emitEvent(
    tx,
    positionCreatedEvent(
      tenant.id,
      { id: position.id, iupd, status: position.status, options: created, externalId: cmd.externalId ?? null },
      now,
    ),
  );
  return { id: position.id, iupd, status: position.status, options: created };
}
