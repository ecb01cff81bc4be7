import type { StaffPrincipal, TenantRole } from "./staff-principal.ts";

/**
 * What a back-office route needs. Every tenant route declares one of these and the router checks
 * it before the handler runs; handlers never decide access on their own.
 */
export type Permission =
  /** See a council's positions, receipts, configuration and audit log. */
  | "tenant.read"
  /** Create, cancel and print positions at the counter. */
  | "positions.write"
  /** Change the council's configuration: payment types, accounts, staff. */
  | "tenant.configure"
  /** Search payments across every council (read only, audited). */
  | "helpdesk.read"
  /** Drive councils' adhesion requests: open them, do a step on a council's behalf, create the council in TEST. */
  | "helpdesk.write"
  /** Manage councils, the intermediary and its stations. */
  | "platform.manage";

const TENANT_GRANTS: Record<TenantRole, Permission[]> = {
  "tenant-admin": ["tenant.read", "positions.write", "tenant.configure"],
  operator: ["tenant.read", "positions.write"],
  viewer: ["tenant.read"],
};

/** True when `principal` holds `permission`, for the council `ipaCode` where the permission is per council. */
export function can(principal: StaffPrincipal, permission: Permission, ipaCode?: string): boolean {
  const platform = new Set(principal.platformRoles);
  if (platform.has("platform-admin")) return true;
  if (permission === "platform.manage") return false;
  // The helpdesk reads every council but changes none of them; its one write is onboarding
  // (adhesion requests belong to no council yet, and the council it creates starts in TEST).
  if (permission === "helpdesk.read" || permission === "helpdesk.write" || permission === "tenant.read") {
    if (platform.has("regional-helpdesk")) return true;
  }
  if (permission === "helpdesk.read" || permission === "helpdesk.write") return false;
  if (!ipaCode) return false;
  return (principal.memberships[ipaCode.toLowerCase()] ?? []).some((role) => TENANT_GRANTS[role].includes(permission));
}

/** The councils a principal works in directly (not through a platform role). */
export function memberTenants(principal: StaffPrincipal): string[] {
  return Object.keys(principal.memberships).sort();
}

/** Italian label of a role, for the header and the staff pages. */
export const ROLE_LABELS: Record<string, string> = {
  "platform-admin": "Amministratore della piattaforma",
  "regional-helpdesk": "Assistenza regionale",
  "tenant-admin": "Amministratore dell'ente",
  operator: "Operatore",
  viewer: "Consultazione",
};
