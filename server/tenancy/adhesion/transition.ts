import type { Database, Tx } from "../../platform/db/database.ts";
import type { AdhesionRequest, AdhesionStep, Prisma } from "../../generated/prisma/client.ts";
import { recordAudit, type Actor } from "../../audit/index.ts";
import { AppError } from "../../platform/errors.ts";
import { nextStep, stepInfo } from "./steps.ts";

/** A request by IPA code, in platform scope (requests exist before their tenant). */
export async function loadRequest(tx: Tx, ipaCode: string): Promise<AdhesionRequest> {
  const r = await tx.adhesionRequest.findUnique({ where: { ipaCode: ipaCode.toLowerCase() } });
  if (!r) throw new AppError("NOT_FOUND", "Richiesta di adesione non trovata", 404);
  return r;
}

/** Refuses a step done out of order, naming the step the request is at. */
export function expectStep(r: AdhesionRequest, step: AdhesionStep): void {
  if (r.step !== step)
    throw new AppError(
      "ADHESION_WRONG_STEP",
      `La richiesta non è al passo «${stepInfo(step).label}»: è al passo «${stepInfo(r.step).label}».`,
      409,
    );
}

/**
 * Completes the request's current step with `data` and moves it to the next one; the change and
 * its audit entry (step from/to, who) commit together.
 */
export async function completeStep(
  tx: Tx,
  r: AdhesionRequest,
  step: AdhesionStep,
  data: Prisma.AdhesionRequestUpdateInput,
  actor: Actor,
  detail: Record<string, unknown> = {},
): Promise<AdhesionRequest> {
  expectStep(r, step);
  const to = nextStep(step);
  // The step in the WHERE makes two concurrent completions of the same step fail, not both pass.
  const moved = await tx.adhesionRequest.updateMany({ where: { id: r.id, step }, data: { ...data, step: to } });
  if (moved.count !== 1)
    throw new AppError("ADHESION_WRONG_STEP", "La richiesta è cambiata nel frattempo: ricarica", 409);
  await recordAudit(tx, {
    tenantId: r.tenantId,
    actor,
    action: "adhesion.step",
    entityType: "AdhesionRequest",
    entityId: r.id,
    before: { step },
    after: { step: to, ...detail },
  });
  return tx.adhesionRequest.findUniqueOrThrow({ where: { id: r.id } });
}

export const platformScope = <T>(db: Database, reason: string, fn: (tx: Tx) => Promise<T>) =>
  db.withPlatformScope(`adhesion: ${reason}`, fn);
