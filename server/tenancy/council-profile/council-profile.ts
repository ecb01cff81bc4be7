import { createHash } from "node:crypto";
import type { Database } from "../../platform/db/database.ts";
import { FormValidationError } from "../../platform/errors.ts";
import { recordAudit, type Actor } from "../../audit/index.ts";
import { councilProfileSchema, type CouncilProfileInput, type CouncilProfileView } from "./profile.schema.ts";
import { checkLogo } from "./logo.ts";

const VIEW = {
  primaryColor: true,
  privacyText: true,
  privacyUrl: true,
  email: true,
  pec: true,
  phone: true,
  officeHours: true,
  address: true,
  logoSha256: true,
  logoContentType: true,
} as const;

const EMPTY: CouncilProfileView = {
  primaryColor: null,
  privacyText: null,
  privacyUrl: null,
  email: null,
  pec: null,
  phone: null,
  officeHours: null,
  address: null,
  logoSha256: null,
  logoContentType: null,
};

/** The council's profile without the logo's bytes; all empty when its admin has set nothing yet. */
export async function getCouncilProfile(db: Database, tenantId: string): Promise<CouncilProfileView> {
  const row = await db.withTenant(tenantId, (tx) =>
    tx.councilProfile.findUnique({ where: { tenantId }, select: VIEW }),
  );
  return row ?? EMPTY;
}

/** The logo's bytes and type, for the portal's logo route and for notices. */
export async function getCouncilLogo(
  db: Database,
  tenantId: string,
): Promise<{ bytes: Buffer; contentType: string; sha256: string } | null> {
  const row = await db.withTenant(tenantId, (tx) =>
    tx.councilProfile.findUnique({
      where: { tenantId },
      select: { logo: true, logoContentType: true, logoSha256: true },
    }),
  );
  if (!row?.logo || !row.logoContentType || !row.logoSha256) return null;
  return { bytes: Buffer.from(row.logo), contentType: row.logoContentType, sha256: row.logoSha256 };
}

/**
 * The council's admin changes its colour, privacy notice and contacts. The colour must leave
 * white text readable (WCAG AA); the change and its audit entry (before/after) commit together.
 * @throws FormValidationError FORM_INVALID with a message per field
 */
export async function updateCouncilProfile(
  db: Database,
  tenantId: string,
  input: CouncilProfileInput,
  actor: Actor,
): Promise<void> {
  const parsed = councilProfileSchema.safeParse(input);
  if (!parsed.success)
    throw new FormValidationError(
      Object.fromEntries(parsed.error.issues.map((i) => [i.path.join(".") || "form", i.message])),
    );
  const data = parsed.data as Omit<CouncilProfileView, "logoSha256" | "logoContentType">;
  await db.withTenant(tenantId, async (tx) => {
    const before = await tx.councilProfile.findUnique({ where: { tenantId }, select: VIEW });
    const after = await tx.councilProfile.upsert({
      where: { tenantId },
      create: { tenantId, ...data },
      update: data,
      select: VIEW,
    });
    await recordAudit(tx, {
      tenantId,
      actor,
      action: "council-profile.updated",
      entityType: "CouncilProfile",
      entityId: tenantId,
      before: before ?? undefined,
      after,
    });
  });
}

/**
 * Replaces (or, with null, removes) the council's logo after checking its bytes (logo.ts). The
 * audit entry records the type and hash, not the image.
 * @throws FormValidationError FORM_INVALID on `logo`
 */
export async function setCouncilLogo(db: Database, tenantId: string, bytes: Buffer | null, actor: Actor) {
  let logo: { bytes: Buffer; contentType: string; sha256: string } | null = null;
  if (bytes) {
    const check = checkLogo(bytes);
    if (!check.ok) throw new FormValidationError({ logo: check.reason });
    logo = { bytes, contentType: check.contentType, sha256: createHash("sha256").update(bytes).digest("hex") };
  }
  const data = {
    logo: logo ? new Uint8Array(logo.bytes) : null,
    logoContentType: logo?.contentType ?? null,
    logoSha256: logo?.sha256 ?? null,
  };
  await db.withTenant(tenantId, async (tx) => {
    const before = await tx.councilProfile.findUnique({
      where: { tenantId },
      select: { logoContentType: true, logoSha256: true },
    });
    await tx.councilProfile.upsert({ where: { tenantId }, create: { tenantId, ...data }, update: data });
    await recordAudit(tx, {
      tenantId,
      actor,
      action: logo ? "council-profile.logo-changed" : "council-profile.logo-removed",
      entityType: "CouncilProfile",
      entityId: tenantId,
      before: before ?? undefined,
      after: { logoContentType: data.logoContentType, logoSha256: data.logoSha256 },
    });
  });
}
