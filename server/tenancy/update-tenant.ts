import { z } from "zod";
import type { Database } from "../platform/db/database.ts";
import { recordAudit, type Actor } from "../audit/index.ts";
import { FormValidationError } from "../platform/errors.ts";
import { activationPlan } from "./activation-plan.ts";

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
  /** The admin confirmed going live although something is missing (the form's checkbox). */
  confirmLive: z.preprocess((v) => v === true || v === "on" || v === "1", z.boolean()).default(false),
});
export type TenantUpdate = z.input<typeof tenantUpdateSchema>;

/**
 * Going live with something missing: the form shows what, and asks for an explicit
 * confirmation (`confirmLive`) before saving.
 */
export class LiveConfirmationRequired extends FormValidationError {
  constructor(readonly missing: string[]) {
    super({ status: `Per mettere l'ente in esercizio conferma di voler procedere anche se: ${missing.join("; ")}.` });
  }
}

/** What a council lacks to go live: activation steps not done, no account in force, a test station. */
export async function liveBlockers(db: Database, tenantId: string, now = new Date()): Promise<string[]> {
  const { steps } = await activationPlan(db, tenantId, now);
  const tenant = await db.client.tenant.findUniqueOrThrow({
    where: { id: tenantId },
    select: { station: { select: { code: true, environment: true } } },
  });
  const missing = steps
    .filter((s) => s.key !== "live" && !s.done)
    .map((s) => (s.key === "accounts" ? "non ha un IBAN di accredito in vigore" : `manca il passo «${s.title}»`));
  if (tenant.station.environment !== "PROD")
    missing.push(`è sulla stazione di test ${tenant.station.code}: in esercizio serve una stazione di produzione`);
  return missing;
}

/**
 * The platform admin changes a council's registry data: name, lifecycle status (a council
 * becomes known to the Nodo when LIVE), segregation code (unique within the intermediary, as
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
    const before = await tx.tenant.findUnique({ where: { ipaCode } });
    if (!before) throw new FormValidationError({ form: "ente non trovato" });
    if (t.status === "LIVE" && before.status !== "LIVE" && !t.confirmLive) {
      const missing = await liveBlockers(db, before.id);
      if (missing.length) throw new LiveConfirmationRequired(missing);
    }
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
    const pick = (x: typeof before) => ({
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
