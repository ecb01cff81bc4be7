import { z } from "zod";
import { AppError, FormValidationError } from "../platform/errors.ts";
import { recordAudit, type Actor } from "../audit/index.ts";
import { councilGroups, RealmAdminError, rolesIn, TENANT_ROLES, type TenantRole } from "../identity/staff/index.ts";
import { mirrorRole, realmFailure, roleLabel, type StaffAdminDeps, type StaffTenant } from "./staff-directory.ts";
import { staffInvitationEmail } from "./staff-invitation-email.ts";

// Messages follow the field's label on the form ("Cognome: al massimo 80 caratteri").
const name = (what: string) => z.string().trim().min(1, `indica ${what}`).max(80, "al massimo 80 caratteri");
const inviteSchema = z.object({
  nome: name("il nome"),
  cognome: name("il cognome"),
  email: z
    .string()
    .trim()
    .toLowerCase()
    .max(254, "indirizzo e-mail troppo lungo")
    .pipe(z.email("indirizzo e-mail non valido")),
  ruolo: z.enum(TENANT_ROLES, { message: "scegli un ruolo" }),
});
/** The invitation form as submitted (Italian field names, checked here). */
export interface StaffInvitation {
  nome: string;
  cognome: string;
  email: string;
  ruolo: string;
}

/** Where the invitation e-mail's link brings the person back: the back-office, as a client of the realm. */
export interface InvitationReturn {
  clientId: string;
  redirectUri: string;
}

export interface InviteOutcome {
  userId: string;
  role: TenantRole;
  created: boolean;
  /** The realm's e-mail with the link to choose a password. */
  emailSent: boolean;
  /** Our e-mail telling the person which council and role they were given. */
  noticeSent: boolean;
}

/**
 * A council's admin gives a person access to the council: the person is found in the realm by
 * e-mail or created (without a password), put in the council's group of the chosen role, and
 * e-mailed a link to set a password (Keycloak's execute-actions-email) when they have none yet.
 * Only the council's own three groups are touched. Audited in the council, with before/after.
 * A repeated invitation of someone still waiting to set a password sends the e-mail again.
 * Everyone given access also gets our e-mail naming the council and the role in Italian (the
 * realm's own e-mail cannot); its failure is reported in the outcome, never undoes the access.
 * @throws FormValidationError on bad input; AppError STAFF_ALREADY_MEMBER, IDP_* (nothing or part done, said in the message), INVITATION_EMAIL_FAILED (access given, e-mail not sent)
 */
export async function inviteStaff(
  deps: StaffAdminDeps,
  tenant: StaffTenant,
  input: StaffInvitation,
  actor: Actor,
  back: InvitationReturn,
): Promise<InviteOutcome> {
  const parsed = inviteSchema.safeParse(input);
  if (!parsed.success)
    throw new FormValidationError(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])));
  const { nome, cognome, email, ruolo: role } = parsed.data;
  let changed = false;
  let created = false;
  let granted = false;
  let userId = "";
  let before: TenantRole[] = [];
  let emailError: unknown;
  let emailSent = false;
  try {
    const groups = await councilGroups(deps.realm, tenant.ipaCode);
    const existing = await deps.realm.findUserByEmail(email);
    const waiting = existing?.requiredActions.includes("UPDATE_PASSWORD") ?? false;
    if (existing) {
      before = rolesIn(groups, await deps.realm.userGroups(existing.id));
      // Inviting again someone who never set a password (e.g. the e-mail failed) only resends it.
      const resend = waiting && before.length === 1 && before[0] === role;
      if (before.length > 0 && !resend) {
        throw new AppError(
          "STAFF_ALREADY_MEMBER",
          `${email} ha già accesso all'ente come ${before.map(roleLabel).join(", ")}: per cambiare il ruolo usa la tabella del personale.`,
          409,
        );
      }
      userId = existing.id;
    } else {
      try {
        userId = await deps.realm.createUser({ username: email, email, firstName: nome, lastName: cognome });
      } catch (err) {
        if (err instanceof RealmAdminError && err.kind === "conflict") {
          throw new AppError(
            "STAFF_USERNAME_TAKEN",
            `Nel sistema di identità esiste già un account con il nome utente ${email}: contatta l'assistenza regionale. Non è stato modificato nulla.`,
            409,
          );
        }
        throw err;
      }
      created = changed = true;
    }
    if (!before.includes(role)) {
      await deps.realm.joinGroup(userId, groups.byRole[role].id);
      changed = true;
    }
    granted = true;
    if (created || waiting) {
      try {
        await deps.realm.sendActionsEmail(userId, ["UPDATE_PASSWORD"], back);
        emailSent = true;
      } catch (err) {
        emailError = err;
      }
    }
  } catch (err) {
    // What did happen in the realm is on record even when the rest failed.
    if (changed)
      await audit(deps, tenant, actor, userId, email, before, granted ? role : null, {
        created,
        emailSent,
        incomplete: true,
      }).catch(() => undefined);
    throw realmFailure(err, changed);
  }
  await audit(deps, tenant, actor, userId, email, before, role, { created, emailSent });
  if (emailError) {
    throw new AppError(
      "INVITATION_EMAIL_FAILED",
      `${email} ora ha accesso all'ente come ${roleLabel(role)}, ma l'e-mail con il collegamento per scegliere la password non è partita. Ripeti l'invito più tardi: verrà inviata di nuovo.`,
      502,
    );
  }
  const notice = staffInvitationEmail({
    name: nome,
    council: tenant.name,
    role: roleLabel(role),
    backofficeUrl: deps.backofficeUrl,
    passwordMailSent: emailSent,
  });
  const noticeSent = await deps.mailer.send({ to: email, ...notice }).then(
    () => true,
    () => false,
  );
  return { userId, role, created, emailSent, noticeSent };
}

function audit(
  deps: StaffAdminDeps,
  tenant: StaffTenant,
  actor: Actor,
  userId: string,
  email: string,
  before: TenantRole[],
  role: TenantRole | null,
  extra: Record<string, boolean>,
) {
  return deps.db.withTenant(tenant.id, async (tx) => {
    if (role) await mirrorRole(tx, tenant.id, userId, role);
    await recordAudit(tx, {
      tenantId: tenant.id,
      actor,
      action: "staff.invite",
      entityType: "StaffUser",
      entityId: userId,
      before: { email, roles: before },
      after: { email, roles: role ? [role] : before, ...extra },
    });
  });
}
