import { z } from "zod";
import type { Database } from "../platform/db/database.ts";
import { recordAudit, type Actor } from "../audit/index.ts";
import { FormValidationError } from "../platform/errors.ts";
import { isValidVatNumber } from "../pagopa/index.ts";

const blankToNull = (v: unknown) => (v === undefined || (typeof v === "string" && v.trim() === "") ? null : v);

export const newTenantSchema = z.object({
  fiscalCode: z.string().trim().refine(isValidVatNumber, "codice fiscale dell'ente non valido"),
  ipaCode: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9_]{2,35}$/, "codice IPA: lettere minuscole, cifre e _"),
  name: z.string().trim().min(2, "denominazione obbligatoria").max(100),
  stationCode: z.string().trim().min(1, "scegli la stazione"),
  segregationCode: z.string().regex(/^\d{2}$/, "due cifre"),
  cbill: z.preprocess(
    blankToNull,
    z
      .string()
      .regex(/^[A-Z0-9]{5}$/, "5 caratteri alfanumerici maiuscoli")
      .nullable(),
  ),
  postalAccount: z.preprocess(
    blankToNull,
    z
      .string()
      .regex(/^\d{8,12}$/, "da 8 a 12 cifre")
      .nullable(),
  ),
  contactEmail: z.preprocess(blankToNull, z.email("indirizzo e-mail non valido").nullable()),
});
export type NewTenant = z.input<typeof newTenantSchema>;

/**
 * Onboards a council: it starts in ONBOARDING (unknown to the Nodo until it is TEST or LIVE),
 * on a station of the intermediary, with a segregation code no other council of that
 * intermediary uses (the NAVs of two councils must never collide). Audited.
 * @throws FormValidationError FORM_INVALID
 */
export async function createTenant(
  db: Database,
  input: NewTenant,
  actor: Actor,
): Promise<{ id: string; ipaCode: string }> {
  const parsed = newTenantSchema.safeParse(input);
  if (!parsed.success)
    throw new FormValidationError(
      Object.fromEntries(parsed.error.issues.map((i) => [i.path.join(".") || "form", i.message])),
    );
  const t = parsed.data;
  return db.withPlatformScope("platform admin: onboard a tenant", async (tx) => {
    const station = await tx.station.findUnique({ where: { code: t.stationCode } });
    if (!station) throw new FormValidationError({ stationCode: "stazione sconosciuta" });
    const clashes = await tx.tenant.findMany({
      where: {
        OR: [
          { fiscalCode: t.fiscalCode },
          { ipaCode: t.ipaCode },
          { intermediaryId: station.intermediaryId, segregationCode: t.segregationCode },
        ],
      },
      select: { name: true, fiscalCode: true, ipaCode: true, segregationCode: true, intermediaryId: true },
    });
    const errors: Record<string, string> = {};
    for (const c of clashes) {
      if (c.fiscalCode === t.fiscalCode) errors.fiscalCode = `codice fiscale già registrato per ${c.name}`;
      if (c.ipaCode === t.ipaCode) errors.ipaCode = `codice IPA già registrato per ${c.name}`;
      if (c.intermediaryId === station.intermediaryId && c.segregationCode === t.segregationCode)
        errors.segregationCode = `codice di segregazione già usato da ${c.name}`;
    }
    if (Object.keys(errors).length > 0) throw new FormValidationError(errors);
    const tenant = await tx.tenant.create({
      data: {
        intermediaryId: station.intermediaryId,
        stationId: station.id,
        fiscalCode: t.fiscalCode,
        ipaCode: t.ipaCode,
        name: t.name,
        segregationCode: t.segregationCode,
        cbill: t.cbill,
        postalAccount: t.postalAccount,
        contactEmail: t.contactEmail,
        status: "ONBOARDING",
      },
    });
    await recordAudit(tx, {
      tenantId: tenant.id,
      actor,
      action: "tenant.create",
      entityType: "Tenant",
      entityId: tenant.id,
      after: { ...t, status: "ONBOARDING" },
    });
    return { id: tenant.id, ipaCode: tenant.ipaCode };
  });
}
