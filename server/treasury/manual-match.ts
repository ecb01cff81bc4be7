import { z } from "zod";
import { recordAudit, type Actor } from "../audit/index.ts";
import { Prisma } from "../generated/prisma/client.ts";
import type { Database, Tx } from "../platform/db/database.ts";
import { AppError } from "../platform/errors.ts";
import { classifyPayments } from "../reconciliation/index.ts";
import { matchTreasuryCredits } from "./match-treasury-credits.ts";

export const manualMatchSchema = z.object({
  creditId: z.uuid("accredito non valido"),
  flowId: z.string().trim().min(1, "indica il flusso").max(35, "al massimo 35 caratteri"),
  reason: z.string().trim().min(3, "indica il motivo").max(500, "al massimo 500 caratteri"),
});
export const manualUnmatchSchema = manualMatchSchema.omit({ flowId: true });

/** flowId null: a staff member detached an automatically matched credit from its flow. */
interface ManualMatch {
  flowId: string | null;
  previousFlowId: string | null;
  reason: string;
  by: string;
  at: string;
}

/**
 * A staff member matches a treasury credit the bank described badly (no or a truncated pagoPA
 * reference) to a flow of the council: the credit names that flow from now on, the flows'
 * credits are matched again and their payments re-classified; audited with the reason.
 * A credit already reconciled (its flow's credits add up) is refused: it must be unmatched first.
 * @throws AppError NOT_FOUND for a credit or flow the council does not hold
 * @throws AppError TREASURY_CREDIT_MATCHED for a credit already reconciled
 */
export async function matchCreditManually(
  db: Database,
  tenantId: string,
  actor: Actor,
  input: z.input<typeof manualMatchSchema>,
): Promise<void> {
  const { creditId, flowId, reason } = manualMatchSchema.parse(input);
  await db.withTenant(tenantId, async (tx) => {
    const credit = await creditOf(tx, creditId);
    if (credit.status === "MATCHED")
      throw new AppError(
        "TREASURY_CREDIT_MATCHED",
        "L'accredito è già riconciliato: annulla prima l'abbinamento indicando il motivo",
        409,
      );
    const flow = await tx.reportingFlow.findFirst({ where: { flowId, supersededAt: null }, select: { id: true } });
    if (!flow) throw new AppError("NOT_FOUND", `Flusso ${flowId} non trovato`, 404);
    const previous = (credit.manualMatch as ManualMatch | null)?.previousFlowId ?? credit.flowId;
    const manualMatch: ManualMatch = {
      flowId,
      previousFlowId: previous,
      reason,
      by: actor.id,
      at: new Date().toISOString(),
    };
    await tx.treasuryCredit.update({ where: { id: creditId }, data: { flowId, manualMatch: { ...manualMatch } } });
    await rematch(tx, tenantId, [credit.flowId, flowId]);
    await recordAudit(tx, {
      tenantId,
      actor,
      action: "treasury.manual-match",
      entityType: "treasury_credit",
      entityId: creditId,
      before: { flowId: credit.flowId, status: credit.status },
      after: { flowId, reason },
    });
  });
}

/**
 * Undoes a match, audited with the reason: a manual match (or a manual detachment) is undone and
 * the credit names again what its description named; an automatically reconciled credit is
 * detached from its flow (it then counts as a credit without pagoPA reference, open to a manual
 * match, and its flow goes back to waiting for its money).
 * @throws AppError TREASURY_NOT_MANUAL when there is nothing to undo
 */
export async function unmatchCreditManually(
  db: Database,
  tenantId: string,
  actor: Actor,
  input: z.input<typeof manualUnmatchSchema>,
): Promise<void> {
  const { creditId, reason } = manualUnmatchSchema.parse(input);
  await db.withTenant(tenantId, async (tx) => {
    const credit = await creditOf(tx, creditId);
    const manual = credit.manualMatch as ManualMatch | null;
    if (!manual && credit.status === "MATCHED" && credit.flowId) return detach(tx, tenantId, actor, credit, reason);
    if (!manual) throw new AppError("TREASURY_NOT_MANUAL", "L'accredito non è stato abbinato a mano", 409);
    await tx.treasuryCredit.update({
      where: { id: creditId },
      data: {
        flowId: manual.previousFlowId,
        manualMatch: Prisma.DbNull,
        status: manual.previousFlowId ? "FLOW_NOT_FOUND" : "NO_PAGOPA_REFERENCE",
      },
    });
    await rematch(tx, tenantId, [credit.flowId, manual.previousFlowId]);
    await recordAudit(tx, {
      tenantId,
      actor,
      action: "treasury.manual-unmatch",
      entityType: "treasury_credit",
      entityId: creditId,
      before: { flowId: credit.flowId, manualMatch: manual },
      after: { flowId: manual.previousFlowId, reason },
    });
  });
}

async function detach(
  tx: Tx,
  tenantId: string,
  actor: Actor,
  credit: { id: string; flowId: string | null; status: string },
  reason: string,
) {
  const manualMatch: ManualMatch = {
    flowId: null,
    previousFlowId: credit.flowId,
    reason,
    by: actor.id,
    at: new Date().toISOString(),
  };
  await tx.treasuryCredit.update({
    where: { id: credit.id },
    data: { flowId: null, manualMatch: { ...manualMatch }, status: "NO_PAGOPA_REFERENCE" },
  });
  await rematch(tx, tenantId, [credit.flowId]);
  await recordAudit(tx, {
    tenantId,
    actor,
    action: "treasury.manual-unmatch",
    entityType: "treasury_credit",
    entityId: credit.id,
    before: { flowId: credit.flowId, status: credit.status },
    after: { flowId: null, reason },
  });
}

async function creditOf(tx: Tx, creditId: string) {
  const credit = await tx.treasuryCredit.findFirst({ where: { id: creditId } });
  if (!credit) throw new AppError("NOT_FOUND", "Accredito non trovato", 404);
  return credit;
}

// The credits of the flows involved are matched again from scratch (a flow may have lost or
// gained a credit), then the flows' payments are classified again.
async function rematch(tx: Tx, tenantId: string, flowIds: Array<string | null>) {
  const ids = [...new Set(flowIds.filter((f): f is string => f !== null))];
  await tx.treasuryCredit.updateMany({ where: { tenantId, flowId: { in: ids } }, data: { status: "FLOW_NOT_FOUND" } });
  await matchTreasuryCredits(tx, tenantId);
  await classifyPayments(tx, tenantId, { flowIds: ids });
}
