import { recordAudit, type Actor } from "../../audit/index.ts";
import type { Database } from "../../platform/db/database.ts";
import { AppError } from "../../platform/errors.ts";

/** A run takes seconds; one still unfinished after this long was lost with its worker. */
const STALE_AFTER_MS = 15 * 60_000;

/**
 * Queues a pre-production run for a council in test: one at a time (a run still queued or running
 * refuses another), audited; `schedule` hands it to the worker (the caller owns the job registry,
 * since the job that runs it speaks to the test Nodo).
 * @throws AppError PREPRODUCTION_RUN_ACTIVE (409), PREPRODUCTION_NOT_IN_TEST (422)
 */
export async function startPreproductionRun(
  db: Database,
  tenantId: string,
  actor: Actor,
  schedule: (run: { tenantId: string; runId: string }) => Promise<void>,
): Promise<{ runId: string }> {
  const tenant = await db.client.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { status: true } });
  if (tenant.status !== "TEST")
    throw new AppError(
      "PREPRODUCTION_NOT_IN_TEST",
      "Il collaudo automatico si esegue solo con l'ente in collaudo",
      422,
    );
  const run = await db.withTenant(tenantId, async (tx) => {
    // Serialises two clicks of the button: the second waits for the first's insert, then sees it.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('preproduction:' || ${tenantId}))`;
    // A run whose worker died never finishes: after STALE_AFTER_MS it no longer blocks a new one.
    await tx.preproductionRun.updateMany({
      where: {
        tenantId,
        state: { in: ["QUEUED", "RUNNING"] },
        createdAt: { lt: new Date(Date.now() - STALE_AFTER_MS) },
      },
      data: { state: "FAILED", finishedAt: new Date() },
    });
    const active = await tx.preproductionRun.count({ where: { tenantId, state: { in: ["QUEUED", "RUNNING"] } } });
    if (active > 0) throw new AppError("PREPRODUCTION_RUN_ACTIVE", "Un collaudo automatico è già in corso", 409);
    const created = await tx.preproductionRun.create({ data: { tenantId, requestedBy: actor.id } });
    await recordAudit(tx, {
      tenantId,
      actor,
      action: "tenant.preproduction-run",
      entityType: "preproduction_run",
      entityId: created.id,
    });
    return created;
  });
  await schedule({ tenantId, runId: run.id });
  return { runId: run.id };
}
