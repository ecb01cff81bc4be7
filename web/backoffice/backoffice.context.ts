import type { Deps } from "../../server/platform/deps.ts";
import type {
  RealmDirectory,
  RealmGroupAdmin,
  StaffOidc,
  StaffSession,
  StaffSessions,
} from "../../server/identity/staff/index.ts";
import type { TaxonomyCatalog } from "../../server/catalog/index.ts";
import type { Actor } from "../../server/audit/index.ts";
import type { PagopaRegistry } from "../../server/pagopa/index.ts";
import type { RealmClientAdmin } from "../../server/api/clients/index.ts";

/** The council a tenant route acts on, resolved once by the tenant guard. */
export interface BackofficeTenant {
  id: string;
  ipaCode: string;
  name: string;
  fiscalCode: string;
  status: string;
  segregationCode: string;
  auxDigit: number;
}

declare module "express-serve-static-core" {
  interface Locals {
    staff?: StaffSession;
  }
}

/** What the back-office's handlers need, built once with the router. */
export interface BackofficeContext {
  deps: Deps;
  sessions: StaffSessions;
  oidc: StaffOidc;
  taxonomy: TaxonomyCatalog;
  secureCookies: boolean;
  /** The realm's Admin REST API, as the `pontepa-admin` service account (staff page, council groups). */
  realm: RealmDirectory & RealmGroupAdmin;
  /** Where an invited person's "set your password" link lands afterwards: the back-office home. */
  invitationReturn: { clientId: string; redirectUri: string };
  /** The realm's client endpoints, as `pontepa-admin` (needs manage-clients): council systems' API clients. */
  apiClientsRealm: RealmClientAdmin;
  /** pagoPA's back-office API (the simulator in development): what pagoPA knows of the councils. */
  pagopaRegistry: PagopaRegistry;
}

/** The audit actor of the logged-in member of staff. */
export function staffActor(session: StaffSession): Actor {
  return { type: "staff", id: session.principal.username };
}
