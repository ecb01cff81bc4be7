import { z } from "zod";
import type { Database } from "../platform/db/database.ts";
import { AppError } from "../platform/errors.ts";
import { recordAudit, type Actor } from "../audit/index.ts";
import { debtorSchema, MAX_AMOUNT_CENTS, transferInputSchema } from "./position.schema.ts";
import { lockPositionForChange } from "./position-lock.ts";
import { transferAccounting } from "./accounting-split.ts";
import { emitEvent } from "../outbox/index.ts";

export const updatePositionSchema = z.object({
  subject: z.string().trim().min(1).max(140).optional(),
  debtor: debtorSchema.optional(),
  options: z
    .array(
      z.object({
        nav: z.string().regex(/^\d{18}$/),
        amountCents: z.number().int().positive().max(MAX_AMOUNT_CENTS).optional(),
        dueDate: z.date().optional(),
        expiresAt: z.date().nullable().optional(),
        description: z.string().max(140).nullable().optional(),
        transfers: z.array(transferInputSchema).min(1).max(5).optional(),
      }),
    )
    .max(61)
    .optional(),
});
export type UpdatePositionInput = z.input<typeof updatePositionSchema>;

/**
 * Changes what a council may still change of an unpaid position: subject, debtor, and per option
 * (named by its NAV) amount, due date, expiry, description and transfers. Refused with 409 and
 * the reason while a PSP holds an activation (the amount it verified must be the one it pays),
 * once anything is paid, or when the position is no longer open. A new amount without new
 * transfers moves the option's only transfer with it; with several, the transfers must be sent.
 * @throws AppError NOT_FOUND, POSITION_LOCKED, POSITION_NOT_UPDATABLE (409), NAV_UNUSABLE, TRANSFER_SHARES (422)
 */
export async function updatePosition(
  db: Database,
  tenant: { id: string; fiscalCode: string },
  positionId: string,
  input: UpdatePositionInput,
  actor: Actor,
  requestId?: string,
): Promise<void> {
  const cmd = updatePositionSchema.parse(input);
  const tenantId = tenant.id;
  await db.withTenant(tenantId, async (tx) => {
    const now = new Date();
    const { status, iupd, externalId, options } = await lockPositionForChange(tx, tenantId, positionId, now);
    if (status !== "VALID" && status !== "DRAFT")
      throw new AppError("POSITION_NOT_UPDATABLE", `Una posizione nello stato ${status} non si può modificare`, 409);
    if (options.some((o) => o.status === "PAID"))
      throw new AppError("POSITION_NOT_UPDATABLE", "La posizione ha già un pagamento: non si può modificare", 409);

    const changes: Array<Record<string, unknown>> = [];
    for (const change of cmd.options ?? []) {
      const option = options.find((o) => o.nav === change.nav);
      if (!option) throw new AppError("NAV_UNUSABLE", `L'avviso ${change.nav} non è di questa posizione`, 422);
      const amountCents = change.amountCents ?? option.amountCents;
      const transfers = change.transfers;
      if (!transfers && amountCents !== option.amountCents) {
        if (option.transfers.length !== 1)
          throw new AppError(
            "TRANSFER_SHARES",
            `L'avviso ${option.nav} ha più versamenti: indica i nuovi versamenti`,
            422,
          );
        const [only] = option.transfers;
        await tx.transfer.update({ where: { id: only!.id }, data: { amountCents } });
      }
      if (transfers) {
        if (transfers.reduce((s, t) => s + t.amountCents, 0) !== amountCents)
          throw new AppError("TRANSFER_SHARES", "La somma dei versamenti deve essere uguale all'importo", 422);
        await tx.transfer.deleteMany({ where: { tenantId, optionId: option.id } });
        const type = (
          await tx.debtPosition.findUnique({
            where: { tenantId_id: { tenantId, id: positionId } },
            select: { paymentType: { select: { accountingChapter: true, defaultAssessment: true } } },
          })
        )?.paymentType;
        await tx.transfer.createMany({
          data: transfers.map((t, index) => ({
            tenantId,
            optionId: option.id,
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
            ...transferAccounting(t, type),
          })),
        });
      }
      await tx.paymentOption.update({
        where: { id: option.id },
        data: {
          amountCents,
          ...(change.dueDate ? { dueDate: change.dueDate } : {}),
          ...(change.expiresAt !== undefined ? { expiresAt: change.expiresAt } : {}),
          ...(change.description !== undefined ? { description: change.description } : {}),
        },
      });
      option.dueDate = change.dueDate ?? option.dueDate;
      changes.push({ nav: option.nav, before: { amountCents: option.amountCents }, after: { amountCents, ...change } });
    }
    const d = cmd.debtor;
    await tx.debtPosition.update({
      where: { tenantId_id: { tenantId, id: positionId } },
      data: {
        ...(cmd.subject ? { subject: cmd.subject } : {}),
        ...(d
          ? {
              debtorType: d.type,
              debtorFiscalCode: d.fiscalCode,
              debtorName: d.name,
              debtorEmail: d.email ?? null,
              debtorAddress: d.address ?? null,
              debtorCity: d.city ?? null,
              debtorPostalCode: d.postalCode ?? null,
              debtorProvince: d.province ?? null,
            }
          : {}),
        dueDate: new Date(Math.max(...options.map((o) => o.dueDate.getTime()))),
      },
    });
    const after = { subject: cmd.subject, debtorChanged: Boolean(d), options: changes };
    await recordAudit(tx, {
      tenantId,
      actor,
      action: "position.update",
      entityType: "DebtPosition",
      entityId: positionId,
      after,
      requestId,
    });
    await emitEvent(tx, {
      tenantId,
      type: "position.updated",
      positionId,
      at: now,
      data: { positionId, iupd, externalId, status, ...after },
    });
  });
}
