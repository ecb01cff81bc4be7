import { z } from "zod";
import type { Database } from "../../platform/db/database.ts";
import { AppError, FormValidationError } from "../../platform/errors.ts";
import { dayAsDate, romeDayOf } from "../../platform/rome-day.ts";
import { recordAudit, type Actor } from "../../audit/index.ts";
import { goLiveChecklist, type GoLiveCheck } from "./go-live-checklist.ts";
import { switchToLive } from "./switch-to-live.ts";

export const goLiveRequestSchema = z.object({
  liveStationCode: z.string().trim().max(35).optional(),
  effectiveOn: z.string().trim().max(10).optional(),
});
export type GoLiveInput = z.input<typeof goLiveRequestSchema>;

/** Which form control a failed check belongs to; the others are about the council as a whole. */
const FIELD_OF: Partial<Record<GoLiveCheck["key"], string>> = { station: "liveStationCode", date: "effectiveOn" };

/** Going live refused: every failed check, each with its reason (the page shows the full list). */
export class GoLiveRefused extends FormValidationError {
  constructor(readonly failed: GoLiveCheck[]) {
    const council = failed.filter((c) => !FIELD_OF[c.key]).map((c) => c.reason);
    super({
      ...Object.fromEntries(failed.filter((c) => FIELD_OF[c.key]).map((c) => [FIELD_OF[c.key]!, c.reason])),
      ...(council.length ? { form: `L'ente non può ancora passare in esercizio: ${council.join("; ")}.` } : {}),
    });
  }
}

export interface GoLiveScheduled {
  id: string;
  effectiveOn: string;
  /** The day is today: the council was switched at once. */
  switched: boolean;
}

/**
 * A platform admin plans a council's move from the test station to a production one from a
 * day (Rome's calendar). Refused, with every reason, unless the whole check list holds; on the
 * day itself the switch happens at once, otherwise the scheduler does it on that day (and checks
 * again then). Audited.
 * @throws GoLiveRefused FORM_INVALID
 */
export async function scheduleGoLive(
  db: Database,
  ipaCode: string,
  input: GoLiveInput,
  actor: Actor,
  now = new Date(),
): Promise<GoLiveScheduled> {
  const request = goLiveRequestSchema.parse(input);
  const tenant = await db.client.tenant.findUnique({ where: { ipaCode }, select: { id: true, stationId: true } });
  if (!tenant) throw new AppError("NOT_FOUND", "Ente non trovato", 404);
  const checks = await goLiveChecklist(db, tenant.id, request, now);
  const failed = checks.filter((c) => !c.ok);
  if (failed.length) throw new GoLiveRefused(failed);
  const effectiveOn = request.effectiveOn!;
  const switched = effectiveOn <= romeDayOf(now);
  const id = await db
    .withPlatformScope("platform admin: schedule a council's go-live", async (tx) => {
      const live = await tx.station.findUniqueOrThrow({ where: { code: request.liveStationCode! } });
      const goLive = await tx.tenantGoLive.create({
        data: {
          tenantId: tenant.id,
          testStationId: tenant.stationId,
          liveStationId: live.id,
          effectiveOn: dayAsDate(effectiveOn),
          requestedBy: actor.id,
        },
      });
      await recordAudit(tx, {
        tenantId: tenant.id,
        actor,
        action: "tenant.go-live-scheduled",
        entityType: "TenantGoLive",
        entityId: goLive.id,
        after: { liveStation: live.code, effectiveOn },
      });
      if (switched) await switchToLive(tx, goLive, actor, now);
      return goLive.id;
    })
    .catch((err: unknown) => {
      // Two admins at once: the partial unique index keeps one go-live waiting per council.
      if ((err as { code?: string }).code === "P2002")
        throw new GoLiveRefused([
          { key: "pending", title: "", ok: false, reason: "è già previsto un passaggio in esercizio" },
        ]);
      throw err;
    });
  return { id, effectiveOn, switched };
}
