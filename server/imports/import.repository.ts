import { z } from "zod";
import type { Tx } from "../platform/db/database.ts";
import type { RowOutcome } from "./apply-record.ts";

const defaultTransfersSchema = z.array(
  z.object({
    accountIban: z.string(),
    beneficiaryFiscalCode: z.string().optional(),
    taxonomyCode: z.string().optional(),
    shareBasisPoints: z.number().int(),
  }),
);

export interface ImportPaymentType {
  code: string;
  active: boolean;
  taxonomyCode: string;
  defaults: z.infer<typeof defaultTransfersSchema>;
  postalIbans: Set<string>;
}

/**
 * A payment type as an import uses it: its taxonomy and default accounts (for rows that name no
 * IBAN, as MyPay's never do for the council's own share). Files may load any active type, also
 * one not offered at the counter or on the portal: the council's own system decided the debt.
 */
export async function loadPaymentTypeForImport(
  tx: Tx,
  tenantId: string,
  code: string,
): Promise<ImportPaymentType | null> {
  if (!code) return null;
  const type = await tx.paymentType.findUnique({ where: { tenantId_code: { tenantId, code } } });
  if (!type) return null;
  const postal = await tx.creditorAccount.findMany({ where: { tenantId, isPostal: true }, select: { iban: true } });
  const defaults = defaultTransfersSchema.safeParse(type.defaultTransfers);
  return {
    code: type.code,
    active: type.active && type.status === "PUBLISHED",
    taxonomyCode: type.taxonomyCode,
    defaults: defaults.success ? defaults.data : [],
    postalIbans: new Set(postal.map((a) => a.iban)),
  };
}

/** Writes a chunk's outcomes in one multi-row INSERT. */
export async function insertRowOutcomes(tx: Tx, tenantId: string, importId: string, rows: RowOutcome[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.importRow.createMany({
    data: rows.map((r) => ({
      tenantId,
      importId,
      rowNumber: r.rowNumber,
      outcome: r.outcome,
      action: r.action,
      key: r.key?.slice(0, 64) ?? null,
      positionId: r.positionId ?? null,
      nav: r.nav ?? null,
      iuv: r.iuv ?? null,
      errorCode: r.issue?.code.slice(0, 32) ?? null,
      column: r.issue?.column?.slice(0, 64) ?? null,
      message: r.issue?.message.slice(0, 1000) ?? null,
      echo: r.echo ?? undefined,
    })),
  });
}

/**
 * Moves the checkpoint from `from` to `to` and adds the chunk's counts, only if nobody moved it
 * meanwhile: two workers on one import (a stalled job handed out again while the first still
 * runs) cannot both commit the same chunk; the loser's transaction rolls back.
 */
export async function advanceCheckpoint(
  tx: Tx,
  tenantId: string,
  importId: string,
  from: number,
  to: number,
  accepted: number,
  rejected: number,
): Promise<boolean> {
  const moved = await tx.importFile.updateMany({
    where: { tenantId, id: importId, checkpointRow: from, status: "RUNNING" },
    data: { checkpointRow: to, accepted: { increment: accepted }, rejected: { increment: rejected } },
  });
  return moved.count === 1;
}
