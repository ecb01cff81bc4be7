import type { Tx } from "../platform/db/database.ts";
import { transferAccounting } from "./accounting-split.ts";
import { AppError } from "../platform/errors.ts";
import { recordAudit, type Actor } from "../audit/index.ts";
import { createPositionSchema, type CreatePositionInput } from "./position.schema.ts";
import type { CreatedPosition } from "./create-position.ts";

/**
 * Replaces what a council's file says about an existing position (MyPay action M, a GovPay row
 * for a known idPendenza): debtor, subject, data, and each option's amount, due date and
 * transfers. The notice numbers stay: the citizen may already hold the printed notice. So the
 * plan must keep its shape (same single/installment options); a new shape is a cancel and a new
 * debt. Refused while a PSP holds an activation or once anything is paid: money may be on its
 * way or already in. The position row is locked first, like a cancel.
 * @throws AppError NOT_FOUND, POSITION_NOT_UPDATABLE (409), PAYMENT_TYPE_UNKNOWN (422)
 */
export async function updatePositionPlanInTx(
  tx: Tx,
  tenant: { id: string; fiscalCode: string },
  positionId: string,
  input: CreatePositionInput,
  actor: Actor,
  requestId?: string,
): Promise<CreatedPosition> {
  const cmd = createPositionSchema.parse(input);
  const tenantId = tenant.id;
  const locked = await tx.$queryRaw<Array<{ status: string; iupd: string }>>`
    SELECT status::text, iupd FROM debt_positions
    WHERE tenant_id = ${tenantId}::uuid AND id = ${positionId}::uuid FOR UPDATE`;
  const row = locked[0];
  if (!row) throw new AppError("NOT_FOUND", "Posizione non trovata", 404);
  if (row.status !== "VALID" && row.status !== "DRAFT")
    throw new AppError("POSITION_NOT_UPDATABLE", `Una posizione nello stato ${row.status} non si può modificare`, 409);
  const options = await tx.paymentOption.findMany({
    where: { tenantId, positionId },
    orderBy: [{ kind: "desc" }, { installmentNumber: "asc" }],
  });
  const now = new Date();
  if (options.some((o) => o.status === "PAID"))
    throw new AppError("POSITION_NOT_UPDATABLE", "La posizione ha già un pagamento", 409);
  if (options.some((o) => o.lockedUntil && o.lockedUntil > now))
    throw new AppError("POSITION_NOT_UPDATABLE", "Un pagamento è in corso presso un prestatore", 409);

  const plan = [
    ...(cmd.single ? [{ kind: "SINGLE" as const, n: null as number | null, option: cmd.single }] : []),
    ...(cmd.installments ?? []).map((option, i) => ({ kind: "INSTALLMENT" as const, n: i + 1, option })),
  ];
  const sameShape =
    plan.length === options.length &&
    plan.every((p) => options.some((o) => o.kind === p.kind && o.installmentNumber === p.n));
  if (!sameShape)
    throw new AppError(
      "POSITION_NOT_UPDATABLE",
      "La modifica non può cambiare le rate della posizione: annullala e caricane una nuova",
      409,
    );
  const paymentType = cmd.paymentTypeCode
    ? await tx.paymentType.findUnique({ where: { tenantId_code: { tenantId, code: cmd.paymentTypeCode } } })
    : null;
  if (cmd.paymentTypeCode && !paymentType)
    throw new AppError("PAYMENT_TYPE_UNKNOWN", `Unknown payment type ${cmd.paymentTypeCode}`, 422);

  const updated: CreatedPosition["options"] = [];
  for (const step of plan) {
    const option = options.find((o) => o.kind === step.kind && o.installmentNumber === step.n)!;
    await tx.transfer.deleteMany({ where: { tenantId, optionId: option.id } });
    await tx.paymentOption.update({
      where: { tenantId_id: { tenantId, id: option.id } },
      data: {
        amountCents: step.option.amountCents,
        dueDate: step.option.dueDate,
        expiresAt: step.option.expiresAt ?? null,
        description: step.option.description ?? null,
        status: "UNPAID",
        transfers: {
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
    updated.push({
      id: option.id,
      nav: option.nav,
      iuv: option.iuv,
      amountCents: step.option.amountCents,
      dueDate: step.option.dueDate,
      installmentNumber: step.n,
    });
  }
  await tx.debtPosition.update({
    where: { tenantId_id: { tenantId, id: positionId } },
    data: {
      paymentTypeId: paymentType?.id ?? null,
      debtorType: cmd.debtor.type,
      debtorFiscalCode: cmd.debtor.fiscalCode,
      debtorName: cmd.debtor.name,
      debtorEmail: cmd.debtor.email ?? null,
      debtorAddress: cmd.debtor.address ?? null,
      debtorCity: cmd.debtor.city ?? null,
      debtorPostalCode: cmd.debtor.postalCode ?? null,
      debtorProvince: cmd.debtor.province ?? null,
      subject: cmd.subject,
      dueDate: new Date(Math.max(...plan.map((p) => p.option.dueDate.getTime()))),
      data: cmd.data as object,
    },
  });
  await recordAudit(tx, {
    tenantId,
    actor,
    action: "position.update",
    entityType: "DebtPosition",
    entityId: positionId,
    before: { options: options.map((o) => ({ nav: o.nav, amountCents: o.amountCents })) },
    after: { subject: cmd.subject, options: updated.map((o) => ({ nav: o.nav, amountCents: o.amountCents })) },
    requestId,
  });
  return { id: positionId, iupd: row.iupd, status: row.status, options: updated };
}
