import { recordAudit, type Actor } from "../../audit/index.ts";
import type { Database } from "../../platform/db/database.ts";
import { AppError } from "../../platform/errors.ts";

/**
 * The council approves a passed run's report (its *verbale di collaudo*): only a run that passed,
 * once; audited with who approved it. Go-live requires an approved run.
 * @throws AppError NOT_FOUND, PREPRODUCTION_NOT_PASSED (409)
 */
export async function approvePreproductionRun(
  db: Database,
  tenantId: string,
  runId: string,
  actor: Actor,
  now = new Date(),
) {
  await db.withTenant(tenantId, async (tx) => {
    const run = await tx.preproductionRun.findFirst({ where: { id: runId, tenantId } });
    if (!run) throw new AppError("NOT_FOUND", "Collaudo non trovato", 404);
    if (run.state !== "PASSED")
      throw new AppError("PREPRODUCTION_NOT_PASSED", "Si approva solo un collaudo superato", 409);
    if (run.approvedAt) return;
    await tx.preproductionRun.update({ where: { id: runId }, data: { approvedAt: now, approvedBy: actor.id } });
    await recordAudit(tx, {
      tenantId,
      actor,
      action: "tenant.preproduction-approved",
      entityType: "preproduction_run",
      entityId: runId,
    });
  });
}
