import type { Database } from "../../platform/db/database.ts";
import { AppError } from "../../platform/errors.ts";
import { dateAsDay } from "../../platform/rome-day.ts";
import { goLiveChecklist, type GoLiveCheck, type GoLiveRequest } from "./go-live-checklist.ts";

/**
 * What the go-live page shows for one council: the check list (for the station and day being
 * chosen, or the planned ones), the production stations to choose from, and the history.
 */
export async function goLiveOverview(db: Database, ipaCode: string, request: GoLiveRequest = {}, now = new Date()) {
  const tenant = await db.client.tenant.findUnique({
    where: { ipaCode },
    select: {
      id: true,
      name: true,
      ipaCode: true,
      status: true,
      intermediaryId: true,
      station: { select: { code: true } },
    },
  });
  if (!tenant) throw new AppError("NOT_FOUND", "Ente non trovato", 404);
  const [stations, history] = await Promise.all([
    db.client.station.findMany({
      where: { intermediaryId: tenant.intermediaryId, environment: "PROD", enabled: true },
      select: { code: true, description: true },
      orderBy: { code: "asc" },
    }),
    db.withTenant(tenant.id, (tx) =>
      tx.tenantGoLive.findMany({
        where: { tenantId: tenant.id },
        include: { testStation: { select: { code: true } }, liveStation: { select: { code: true } } },
        orderBy: { createdAt: "desc" },
      }),
    ),
  ]);
  const planned = history.find((h) => h.state === "SCHEDULED");
  const checks: GoLiveCheck[] = await goLiveChecklist(
    db,
    tenant.id,
    planned
      ? { liveStationCode: planned.liveStation.code }
      : { liveStationCode: request.liveStationCode ?? stations[0]?.code, effectiveOn: request.effectiveOn },
    now,
  );
  return {
    tenant,
    stations,
    // With a plan waiting, its own day and the plan itself are not things to fix; before a day is
    // typed, the day is the form's business, not the council's.
    checks: checks.filter((c) =>
      planned ? c.key !== "date" && c.key !== "pending" : c.key !== "date" || request.effectiveOn,
    ),
    planned: planned && { effectiveOn: dateAsDay(planned.effectiveOn), liveStation: planned.liveStation.code },
    history: history.map((h) => ({
      state: h.state,
      effectiveOn: dateAsDay(h.effectiveOn),
      testStation: h.testStation.code,
      liveStation: h.liveStation.code,
      requestedBy: h.requestedBy,
      createdAt: h.createdAt,
      switchedAt: h.switchedAt,
      closedAt: h.closedAt,
      closedBy: h.closedBy,
      closeReason: h.closeReason,
    })),
  };
}
