import { z } from "zod";
import type { Database } from "../../platform/db/database.ts";
import { AppError, FormValidationError } from "../../platform/errors.ts";
import { recordAudit, type Actor } from "../../audit/index.ts";

const reasonSchema = z
  .string()
  .trim()
  .min(10, "scrivi il motivo (almeno 10 caratteri): resta nel registro delle attività")
  .max(500, "al massimo 500 caratteri");

const parseReason = (reason: unknown): string => {
  const parsed = reasonSchema.safeParse(reason ?? "");
  if (!parsed.success) throw new FormValidationError({ reason: parsed.error.issues[0]!.message });
  return parsed.data;
};

const tenantOf = async (db: Database, ipaCode: string) => {
  const tenant = await db.client.tenant.findUnique({ where: { ipaCode }, select: { id: true, status: true } });
  if (!tenant) throw new AppError("NOT_FOUND", "Ente non trovato", 404);
  return tenant;
};

/**
 * Drops a planned go-live before its day, with a reason. Audited.
 * @throws FormValidationError FORM_INVALID (no reason, or nothing planned)
 */
export async function cancelGoLive(db: Database, ipaCode: string, reason: unknown, actor: Actor, now = new Date()) {
  const why = parseReason(reason);
  const tenant = await tenantOf(db, ipaCode);
  await db.withPlatformScope("platform admin: cancel a council's go-live", async (tx) => {
    const planned = await tx.tenantGoLive.findFirst({ where: { tenantId: tenant.id, state: "SCHEDULED" } });
    if (!planned) throw new FormValidationError({ form: "Non c'è un passaggio in esercizio da annullare." });
    await tx.tenantGoLive.update({
      where: { id: planned.id },
      data: { state: "CANCELLED", closedAt: now, closedBy: actor.id, closeReason: why },
    });
    await recordAudit(tx, {
      tenantId: tenant.id,
      actor,
      action: "tenant.go-live-cancelled",
      entityType: "TenantGoLive",
      entityId: planned.id,
      before: { state: "SCHEDULED" },
      after: { state: "CANCELLED", reason: why },
    });
  });
}

/**
 * The way back: a live council returns to the test station it went live from, in test, with a
 * reason (a wrong IBAN at pagoPA, a station misconfigured). Its debts and receipts stay as they
 * are; the Nodo stops routing it on the production station within the routing cache's TTL.
 * Audited.
 * @throws FormValidationError FORM_INVALID (no reason, or the council is not live by a go-live)
 */
export async function revertGoLive(db: Database, ipaCode: string, reason: unknown, actor: Actor, now = new Date()) {
  const why = parseReason(reason);
  const tenant = await tenantOf(db, ipaCode);
  await db.withPlatformScope("platform admin: take a council back to test", async (tx) => {
    const done = await tx.tenantGoLive.findFirst({
      where: { tenantId: tenant.id, state: "DONE" },
      orderBy: { switchedAt: "desc" },
    });
    if (tenant.status !== "LIVE" || !done)
      throw new FormValidationError({
        form: "L'ente non è in esercizio da un passaggio registrato: non c'è una stazione di test a cui tornare.",
      });
    await tx.tenant.update({ where: { id: tenant.id }, data: { stationId: done.testStationId, status: "TEST" } });
    await tx.tenantGoLive.update({
      where: { id: done.id },
      data: { state: "REVERTED", closedAt: now, closedBy: actor.id, closeReason: why },
    });
    await recordAudit(tx, {
      tenantId: tenant.id,
      actor,
      action: "tenant.go-live-reverted",
      entityType: "TenantGoLive",
      entityId: done.id,
      before: { status: "LIVE", stationId: done.liveStationId },
      after: { status: "TEST", stationId: done.testStationId, reason: why },
    });
  });
}
