/**
 * What a council admin picks for an API client, and the `pontepa-api` client roles each choice
 * maps to in the realm (and that the API then requires per operation).
 */
export const API_CLIENT_ROLES = {
  /** Read positions, receipts, documents and the receipts feed. */
  read: ["positions.read", "receipts.read"],
  /** Create, update, cancel positions (and manage the council's webhooks through the API). */
  write: ["positions.write"],
  /** Start payments from the council's portal (OTF). */
  pay: ["payments.write"],
} as const satisfies Record<string, readonly string[]>;

export type ApiClientRole = keyof typeof API_CLIENT_ROLES;
export const API_CLIENT_ROLE_NAMES = Object.keys(API_CLIENT_ROLES) as ApiClientRole[];

/** Italian labels for the back-office. */
export const API_CLIENT_ROLE_LABELS: Record<ApiClientRole, string> = {
  read: "Lettura (posizioni e ricevute)",
  write: "Scrittura (creazione e modifica delle posizioni)",
  pay: "Pagamento (avvio dei pagamenti dal portale dell'ente)",
};

/** The realm's client roles of a set of choices (read, write, pay), sorted and without repeats. */
export function realmRolesOf(roles: readonly string[]): string[] {
  const out = new Set<string>();
  for (const r of roles) for (const role of API_CLIENT_ROLES[r as ApiClientRole] ?? []) out.add(role);
  return [...out].sort();
}
