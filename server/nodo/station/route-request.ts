import type { Database } from "../../platform/db/database.ts";
import type { Statement } from "../../platform/db/fast-sql.ts";
import type { RoutingFields } from "./schemas/requests.schema.ts";
import { StationFault } from "./faults.ts";
import type { StationProtection } from "./station-guard.ts";

export interface RoutedTenant {
  id: string;
  fiscalCode: string;
  name: string;
  sector: string | null;
  segregationCode: string;
  auxDigit: number;
}

export interface Route {
  intermediaryFiscalCode: string;
  stationCode: string;
  tenant: RoutedTenant;
}

/** What routing has learnt so far, for the journal and the fault's `id` when it fails. */
export interface RoutingProgress {
  intermediaryFiscalCode?: string;
  stationCode?: string;
  tenant?: RoutedTenant;
  /** The caller passed the station's protections: its raw request is worth keeping in full. */
  authenticated?: boolean;
}

interface RoutingRow {
  intermediary_id: string | null;
  intermediary_fiscal_code: string | null;
  station_id: string | null;
  station_code: string | null;
  station_intermediary_id: string | null;
  station_enabled: boolean | null;
  station_environment: "TEST" | "PROD" | null;
  client_cert_fingerprint: string | null;
  subscription_key_hash: string | null;
  allowed_sources: string[] | null;
  tenant_id: string | null;
  tenant_intermediary_id: string | null;
  tenant_station_id: string | null;
  tenant_status: string | null;
  tenant_fiscal_code: string | null;
  tenant_name: string | null;
  tenant_sector: string | null;
  segregation_code: string | null;
  aux_digit: number | null;
}

// One round trip for the three lookups (this runs on every Nodo call: see docs/benchmarks.md),
// as a named prepared statement on the station's pg path; the checks below still run in the
// documented order.
const ROUTING: Statement = {
  name: "nodo.route_request.v1",
  text: `
    SELECT i.id AS intermediary_id, i.fiscal_code AS intermediary_fiscal_code,
           s.id AS station_id, s.code AS station_code, s.intermediary_id AS station_intermediary_id,
           s.enabled AS station_enabled, s.environment::text AS station_environment,
           s.client_cert_fingerprint, s.subscription_key_hash, s.allowed_sources,
           t.id AS tenant_id, t.intermediary_id AS tenant_intermediary_id, t.station_id AS tenant_station_id,
           t.status::text AS tenant_status, t.fiscal_code AS tenant_fiscal_code, t.name AS tenant_name,
           t.sector AS tenant_sector, t.segregation_code, t.aux_digit
    FROM (SELECT 1) AS one
    LEFT JOIN intermediaries i ON i.fiscal_code = $1
    LEFT JOIN stations s ON s.code = $2
    LEFT JOIN tenants t ON t.fiscal_code = $3`,
};

/**
 * A short-lived, bounded memory of routing rows, so most Nodo calls skip the routing query.
 * Stale by at most `ttlMs` (default 5 s, SOAP_ROUTING_CACHE_MS): a council suspended, a station
 * disabled or its protections changed take effect on this process within that time. Those are
 * rare, deliberate operator changes, and the Nodo itself applies its own configuration changes
 * with far longer delays, so a few seconds are acceptable; the checks themselves (protections
 * against the caller, status, station match) still run on every request. Concurrent misses of
 * one key share one query; failures are not remembered.
 */
export class RoutingCache {
  private readonly rows = new Map<string, { at: number; row: Promise<RoutingRow | undefined> }>();

  constructor(
    readonly ttlMs: number,
    private readonly maxEntries = 1_000,
  ) {}

  get(db: Database, fields: RoutingFields): Promise<RoutingRow | undefined> {
    if (this.ttlMs <= 0) return lookUp(db, fields);
    const key = `${fields.idBrokerPA}\u0000${fields.idStation}\u0000${fields.idPA}`;
    const now = Date.now();
    const hit = this.rows.get(key);
    if (hit && now - hit.at < this.ttlMs) return hit.row;
    if (hit) this.rows.delete(key);
    // Map keeps insertion order: the first key is the oldest one.
    if (this.rows.size >= this.maxEntries) this.rows.delete(this.rows.keys().next().value!);
    const row = lookUp(db, fields);
    this.rows.set(key, { at: now, row });
    row.catch(() => {
      if (this.rows.get(key)?.row === row) this.rows.delete(key);
    });
    return row;
  }
}

async function lookUp(db: Database, fields: RoutingFields): Promise<RoutingRow | undefined> {
  const [row] = await db.sql.query<RoutingRow>(ROUTING, [fields.idBrokerPA, fields.idStation, fields.idPA]);
  return row;
}

/**
 * Resolves who a request is for: the intermediary (idBrokerPA), its station (idStation), then
 * the council (idPA). The station's protections run before the council is looked up, so an
 * unauthenticated caller learns nothing about which councils exist. A council is known to the
 * Nodo only when LIVE, or in TEST on a TEST station; anything else is PAA_ID_DOMINIO_ERRATO.
 * Stations, intermediaries and tenants are platform data (no RLS).
 * @throws StationFault PAA_ID_INTERMEDIARIO_ERRATO | PAA_STAZIONE_INT_ERRATA | PAA_ID_DOMINIO_ERRATO
 */
export async function routeRequest(
  db: Database,
  fields: RoutingFields,
  guard: (station: StationProtection) => void,
  progress: RoutingProgress = {},
  cache?: RoutingCache,
): Promise<Route> {
  const row = cache ? await cache.get(db, fields) : await lookUp(db, fields);
  if (!row?.intermediary_id)
    throw new StationFault("PAA_ID_INTERMEDIARIO_ERRATO", `Intermediario ${fields.idBrokerPA} sconosciuto`);
  progress.intermediaryFiscalCode = row.intermediary_fiscal_code!;

  if (!row.station_id || row.station_intermediary_id !== row.intermediary_id || !row.station_enabled) {
    throw new StationFault(
      "PAA_STAZIONE_INT_ERRATA",
      `Stazione ${fields.idStation} non appartenente all'intermediario`,
    );
  }
  progress.stationCode = row.station_code!;
  guard({
    clientCertFingerprint: row.client_cert_fingerprint,
    subscriptionKeyHash: row.subscription_key_hash,
    allowedSources: row.allowed_sources ?? [],
  });
  progress.authenticated = true;

  const known =
    row.tenant_id &&
    row.tenant_intermediary_id === row.intermediary_id &&
    (row.tenant_status === "LIVE" || (row.tenant_status === "TEST" && row.station_environment === "TEST"));
  if (!known)
    throw new StationFault("PAA_ID_DOMINIO_ERRATO", `Ente ${fields.idPA} non servito da questo intermediario`);
  if (row.tenant_station_id !== row.station_id) {
    throw new StationFault(
      "PAA_STAZIONE_INT_ERRATA",
      `L'ente ${fields.idPA} non è servito dalla stazione ${fields.idStation}`,
    );
  }
  const routed: RoutedTenant = {
    id: row.tenant_id!,
    fiscalCode: row.tenant_fiscal_code!,
    name: row.tenant_name!,
    sector: row.tenant_sector,
    segregationCode: row.segregation_code!,
    auxDigit: row.aux_digit!,
  };
  progress.tenant = routed;
  return { intermediaryFiscalCode: row.intermediary_fiscal_code!, stationCode: row.station_code!, tenant: routed };
}
