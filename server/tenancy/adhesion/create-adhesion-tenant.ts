import { z } from "zod";
import type { Actor } from "../../audit/index.ts";
import { recordAudit } from "../../audit/index.ts";
import { AppError, FormValidationError } from "../../platform/errors.ts";
import type { RealmDirectory, RealmGroupAdmin } from "../../identity/staff/index.ts";
import { createTenant } from "../create-tenant.ts";
import { provisionCouncilGroups } from "../provision-council-groups.ts";
import { inviteStaff, type InvitationReturn } from "../invite-staff.ts";
import type { StaffAdminDeps } from "../staff-directory.ts";
import { completeStep, expectStep, loadRequest, platformScope } from "./transition.ts";

export type AdhesionTenantDeps = StaffAdminDeps & { realm: RealmDirectory & RealmGroupAdmin };

const tenantStepSchema = z.object({
  stationCode: z.string().trim().min(1, "scegli la stazione di test"),
  segregationCode: z
    .string()
    .trim()
    .regex(/^\d{2}$/, "due cifre"),
});

/**
 * The Region creates the council: the tenant (through createTenant, on a TEST station) put in
 * TEST, its groups in the realm, and the contact person invited as the council's admin (the
 * invitation path of the staff page). Re-runnable: when the realm fails after the tenant was
 * created, the request stays at this step with its tenant, and the next run only does the rest.
 * @throws FormValidationError | AppError ADHESION_WRONG_STEP | IDP_* | INVITATION_EMAIL_FAILED
 */
export async function createAdhesionTenant(
  deps: AdhesionTenantDeps,
  ipaCode: string,
  input: { stationCode?: string; segregationCode?: string },
  actor: Actor,
  back: InvitationReturn,
) {
  const { db } = deps;
  const r = await platformScope(db, "read the request", (tx) => loadRequest(tx, ipaCode));
  expectStep(r, "TENANT");
  let tenantId = r.tenantId;
  if (!tenantId) {
    const parsed = tenantStepSchema.safeParse({
      ...input,
      segregationCode: input.segregationCode || r.segregationCode,
    });
    if (!parsed.success)
      throw new FormValidationError(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])));
    const station = await db.withPlatformScope("adhesion: check the station", (tx) =>
      tx.station.findUnique({ where: { code: parsed.data.stationCode }, select: { environment: true } }),
    );
    if (station?.environment !== "TEST")
      throw new FormValidationError({ stationCode: "un ente in adesione va creato su una stazione di test" });
    const created = await createTenant(
      db,
      {
        fiscalCode: r.fiscalCode,
        ipaCode: r.ipaCode,
        name: r.name.slice(0, 100),
        stationCode: parsed.data.stationCode,
        segregationCode: parsed.data.segregationCode,
        cbill: null,
        postalAccount: null,
        contactEmail: r.pecEmail ?? r.contactEmail,
      },
      actor,
    );
    tenantId = created.id;
    // ONBOARDING -> TEST and the link to the request commit together.
    await platformScope(db, "put the new council in TEST", async (tx) => {
      await tx.tenant.update({ where: { id: created.id }, data: { status: "TEST" } });
      await tx.adhesionRequest.update({
        where: { id: r.id },
        data: { tenantId: created.id, segregationCode: parsed.data.segregationCode },
      });
      await recordAudit(tx, {
        tenantId: created.id,
        actor,
        action: "tenant.update",
        entityType: "Tenant",
        entityId: created.id,
        before: { status: "ONBOARDING" },
        after: { status: "TEST", reason: "adesione" },
      });
    });
  }
  const tenant = { id: tenantId, ipaCode: r.ipaCode, name: r.name };
  await provisionCouncilGroups({ db, realm: deps.realm }, tenant, actor);
  if (!r.contactName || !r.contactEmail)
    throw new AppError("ADHESION_NO_CONTACT", "La richiesta non ha un referente da invitare", 409);
  const [nome, ...rest] = r.contactName.split(/\s+/);
  await inviteStaff(
    deps,
    tenant,
    { nome: nome!, cognome: rest.join(" ") || nome!, email: r.contactEmail, ruolo: "tenant-admin" },
    actor,
    back,
  ).catch((err: unknown) => {
    // Invited already by an earlier run that failed later: the access is there, go on.
    if (err instanceof AppError && err.code === "STAFF_ALREADY_MEMBER") return;
    throw err;
  });
  return platformScope(db, "tenant step done", async (tx) =>
    completeStep(tx, await loadRequest(tx, ipaCode), "TENANT", { invitedAt: new Date() }, actor, {
      tenantId,
      invited: r.contactEmail,
    }),
  );
}
