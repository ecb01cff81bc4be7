import type { Database, Tx } from "../platform/db/database.ts";
import { AppError } from "../platform/errors.ts";
import type { Mailer } from "../platform/mail/mailer.ts";
import {
  RealmAdminError,
  realmFailure as anyRealmFailure,
  ROLE_LABELS,
  type RealmDirectory,
  type StaffSessionIndex,
  type TenantRole,
} from "../identity/staff/index.ts";

/**
 * What the staff administration use cases need: our database, the realm's Admin API, the staff
 * sessions (a change of roles reaches the person's open sessions at once), and the mailer with the
 * back-office's address for the invitation notice.
 */
export interface StaffAdminDeps {
  db: Database;
  realm: RealmDirectory;
  sessions: StaffSessionIndex;
  mailer: Pick<Mailer, "send">;
  backofficeUrl: string;
}

/** The council a staff change is for (the tenant guard resolved it). */
export interface StaffTenant {
  id: string;
  ipaCode: string;
  name: string;
}

const MEMBERSHIP_ROLE: Record<TenantRole, "TENANT_ADMIN" | "OPERATOR" | "VIEWER"> = {
  "tenant-admin": "TENANT_ADMIN",
  operator: "OPERATOR",
  viewer: "VIEWER",
};

export const roleLabel = (role: TenantRole) => ROLE_LABELS[role]!;

/**
 * Turns a failure of the realm into an Italian error that says whether anything was already
 * changed, so an admin never believes an operation that stopped half-way did nothing (or all).
 */
export function realmFailure(err: unknown, changed: boolean): AppError {
  if (err instanceof RealmAdminError && err.kind === "not-found" && !changed)
    return new AppError(
      "COUNCIL_GROUPS_MISSING",
      "I gruppi dell'ente non esistono nel sistema di identità: chiedi all'assistenza regionale di crearli. Non è stato modificato nulla.",
      409,
      { cause: err.message },
    );
  return anyRealmFailure(err, changed);
}

/**
 * Keeps our mirror of the realm (`memberships`, written at login) in step with a change made
 * from the staff page, when the person has logged in before: the page then shows the new role at
 * once, and an operator's payment-type restriction stays while they remain an operator.
 */
export async function mirrorRole(tx: Tx, tenantId: string, subject: string, role: TenantRole | null): Promise<void> {
  const user = await tx.staffUser.findUnique({ where: { subject }, select: { id: true } });
  if (!user) return;
  const wanted = role ? MEMBERSHIP_ROLE[role] : null;
  await tx.membership.deleteMany({
    where: { tenantId, userId: user.id, ...(wanted ? { role: { not: wanted } } : {}) },
  });
  if (wanted)
    await tx.membership.upsert({
      where: { tenantId_userId_role: { tenantId, userId: user.id, role: wanted } },
      create: { tenantId, userId: user.id, role: wanted },
      update: {},
    });
}
