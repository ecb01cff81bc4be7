import { z } from "zod";
import type { Database } from "../platform/db/database.ts";
import { recordAudit, type Actor } from "../audit/index.ts";
import { FormValidationError } from "../platform/errors.ts";

const blankToNull = (v: unknown) => (v === undefined || (typeof v === "string" && v.trim() === "") ? null : v);

export const tenantUpdateSchema = z.object({
  name: z.string().trim().min(2, "nome obbligatorio").max(100),
  status: z.enum(["ONBOARDING", "TEST", "LIVE", "SUSPENDED"]),
  segregationCode: z.string().regex(/^\d{2}$/, "due cifre"),
  cbill: z.preprocess(
    blankToNull,
    z
      .string()
      .regex(/^[A-Z0-9]{5}$/, "5 caratteri alfanumerici maiuscoli")
      .nullable(),
  ),
  contactEmail: z.preprocess(blankToNull, z.email("indirizzo e-mail non valido").nullable()),
  logoUrl: z.preprocess(blankToNull, z.url("indirizzo del logo non valido").nullable()),
});
export type TenantUpdate = z.input<typeof tenantUpdateSchema>;

/**
 * Which status moves the registry form may make. Going live moves the council to a production
 * station and has its own check list (go-live/), and leaving live goes back to the test station
 * it came from: neither is a mere change of status. A suspended council that was live resumes.
 */
function statusMoveProblem(from: string, to: string, stationEnvironment: string): string | null {
  if (from === to) return null;
  if (to === "LIVE" && !(from === "SUSPENDED" && stationEnvironment === "PROD"))
    return "per mettere l'ente in esercizio usa «Passaggio in esercizio», che controlla che sia pronto";
  if (from === "LIVE" && to !== "SUSPENDED")
    return "per riportare l'ente in collaudo usa «Torna in collaudo» nel passaggio in esercizio";
  return null;
}

/**
 * The platform admin changes a council's registry data: name, lifecycle status (except going
 * live and leaving live, see statusMoveProblem), segregation code (unique within the intermediary, as
 * the NAV depends on it), CBILL code, contact and logo. Audited with before/after.
 * @throws FormValidationError FORM_INVALID
 */
export async function updateTenant(db: Database, ipaCode: string, input: TenantUpdate, actor: Actor): Promise<void> {
  const parsed = tenantUpdateSchema.safeParse(input);
  if (!parsed.success)
    throw new FormValidationError(
      Object.fromEntries(parsed.error.issues.map((i) => [i.path.join(".") || "form", i.message])),
    );
  const t = parsed.data;
  await db.withPlatformScope("platform admin: update a tenant", async (tx) => {
    const before = await tx.tenant.findUnique({ where: { ipaCode }, include: { station: true } });
    if (!before) throw new FormValidationError({ form: "ente non trovato" });
    const move = statusMoveProblem(before.status, t.status, before.station.environment);
    if (move) throw new FormValidationError({ status: move });
    const clash = await tx.tenant.findFirst({
      where: { intermediaryId: before.intermediaryId, segregationCode: t.segregationCode, NOT: { id: before.id } },
      select: { name: true },
    });
    if (clash) throw new FormValidationError({ segregationCode: `codice di segregazione già usato da ${clash.name}` });
    const branding = { ...(before.branding as Record<string, unknown>), logoUrl: t.logoUrl ?? undefined };
    const after = await tx.tenant.update({
      where: { id: before.id },
      data: {
        name: t.name,
        status: t.status,
        segregationCode: t.segregationCode,
        cbill: t.cbill,
        contactEmail: t.contactEmail,
        branding: JSON.parse(JSON.stringify(branding)),
      },
    });
    const pick = (x: Omit<typeof before, "station">) => ({
      name: x.name,
      status: x.status,
      segregationCode: x.segregationCode,
      cbill: x.cbill,
      contactEmail: x.contactEmail,
      branding: x.branding,
    });
    await recordAudit(tx, {
      tenantId: before.id,
      actor,
      action: "tenant.update",
      entityType: "Tenant",
      entityId: before.id,
      before: pick(before),
      after: pick(after),
    });
  });
}
