import type { Database } from "../../platform/db/database.ts";
import type { StaffPrincipal, TenantRole } from "./staff-principal.ts";

const TENANT_ROLE: Record<TenantRole, "TENANT_ADMIN" | "OPERATOR" | "VIEWER"> = {
  "tenant-admin": "TENANT_ADMIN",
  operator: "OPERATOR",
  viewer: "VIEWER",
};
const PLATFORM_ROLE = { "platform-admin": "PLATFORM_ADMIN", "regional-helpdesk": "HELPDESK" } as const;

/**
 * Mirrors a login into our tables: the staff user (last login) and their memberships as the
 * realm's groups say today, so each council's staff page lists who works for it. The realm stays
 * the source of truth for roles; what we keep is the council's own restriction of an operator
 * to some payment types, which survives a re-login.
 */
export async function recordStaffLogin(db: Database, principal: StaffPrincipal, now = new Date()): Promise<void> {
  await db.withPlatformScope("staff login: mirror the realm's memberships", async (tx) => {
    const user = await tx.staffUser.upsert({
      where: { subject: principal.subject },
      create: {
        subject: principal.subject,
        email: principal.email,
        displayName: principal.name,
        platformRoles: principal.platformRoles.map((r) => PLATFORM_ROLE[r]),
        lastLoginAt: now,
      },
      update: {
        email: principal.email,
        displayName: principal.name,
        platformRoles: principal.platformRoles.map((r) => PLATFORM_ROLE[r]),
        lastLoginAt: now,
      },
    });
    const tenants = await tx.tenant.findMany({
      where: { ipaCode: { in: Object.keys(principal.memberships) } },
      select: { id: true, ipaCode: true },
    });
    const wanted = tenants.flatMap((t) =>
      (principal.memberships[t.ipaCode] ?? []).map((role) => ({ tenantId: t.id, role: TENANT_ROLE[role] })),
    );
    const existing = await tx.membership.findMany({ where: { userId: user.id } });
    const key = (m: { tenantId: string; role: string }) => `${m.tenantId}:${m.role}`;
    const wantedKeys = new Set(wanted.map(key));
    const stale = existing.filter((m) => !wantedKeys.has(key(m))).map((m) => m.id);
    if (stale.length > 0) await tx.membership.deleteMany({ where: { id: { in: stale } } });
    const have = new Set(existing.map(key));
    const fresh = wanted.filter((m) => !have.has(key(m)));
    if (fresh.length > 0) await tx.membership.createMany({ data: fresh.map((m) => ({ ...m, userId: user.id })) });
  });
}
