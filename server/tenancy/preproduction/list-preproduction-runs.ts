import type { Database } from "../../platform/db/database.ts";
import type { RunStep } from "./run-step.ts";

export interface PreproductionRunView {
  id: string;
  state: "QUEUED" | "RUNNING" | "PASSED" | "FAILED";
  stationCode: string | null;
  steps: RunStep[];
  requestedBy: string;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  approvedBy: string | null;
  approvedAt: Date | null;
}

/** A council's pre-production runs, newest first (the report page shows them all; they are few). */
export async function listPreproductionRuns(
  db: Database,
  tenantId: string,
  limit = 20,
): Promise<PreproductionRunView[]> {
  const rows = await db.withTenant(tenantId, (tx) =>
    tx.preproductionRun.findMany({ where: { tenantId }, orderBy: { createdAt: "desc" }, take: limit }),
  );
  return rows.map((r) => ({ ...r, steps: r.steps as unknown as RunStep[] }));
}

/** True when the council has a passed run its admin approved: what go-live asks for. */
export async function hasApprovedPreproductionRun(db: Database, tenantId: string): Promise<boolean> {
  const n = await db.withTenant(tenantId, (tx) =>
    tx.preproductionRun.count({ where: { tenantId, state: "PASSED", approvedAt: { not: null } } }),
  );
  return n > 0;
}
