import type { Database } from "../../platform/db/database.ts";
import type { Logger } from "../../platform/observability/logger.ts";
import { dayAsDate, romeDayOf } from "../../platform/rome-day.ts";
import { goLiveChecklist } from "./go-live-checklist.ts";
import { switchToLive } from "./switch-to-live.ts";

/** What the scheduler did with the go-lives whose day has come. */
export interface DueGoLives {
  switched: string[];
  /** Still waiting: something broke since it was planned (the council's page shows what). */
  held: Array<{ tenantId: string; reasons: string[] }>;
}

/**
 * Switches every council whose planned go-live day has come (Rome's calendar), after checking
 * the list again: an IBAN closed or a station disabled since the plan keeps the council in test,
 * with the reasons logged and shown on its page, rather than live and unreachable.
 */
export async function applyDueGoLives(db: Database, logger: Logger, now = new Date()): Promise<DueGoLives> {
  const due = await db.withPlatformScope("scheduler: due go-lives", (tx) =>
    tx.tenantGoLive.findMany({
      where: { state: "SCHEDULED", effectiveOn: { lte: dayAsDate(romeDayOf(now)) } },
      include: { liveStation: { select: { code: true } } },
      orderBy: { effectiveOn: "asc" },
    }),
  );
  const result: DueGoLives = { switched: [], held: [] };
  for (const goLive of due) {
    const checks = await goLiveChecklist(db, goLive.tenantId, { liveStationCode: goLive.liveStation.code }, now);
    // The day and the pending go-live are this very plan: only the council and station matter now.
    const reasons = checks.filter((c) => !c.ok && c.key !== "date" && c.key !== "pending").map((c) => c.reason);
    if (reasons.length) {
      logger.warn({ tenantId: goLive.tenantId, goLiveId: goLive.id, reasons }, "planned go-live held");
      result.held.push({ tenantId: goLive.tenantId, reasons });
      continue;
    }
    await db.withPlatformScope("scheduler: switch a council to live", (tx) =>
      switchToLive(tx, goLive, { type: "system", id: "scheduler" }, now),
    );
    logger.info({ tenantId: goLive.tenantId, goLiveId: goLive.id }, "council switched to live");
    result.switched.push(goLive.tenantId);
  }
  return result;
}
