import type { Database } from "../../platform/db/database.ts";
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
): Promise<Route> {
  const intermediary = await db.client.intermediary.findUnique({ where: { fiscalCode: fields.idBrokerPA }, select: { id: true, fiscalCode: true } });
  if (!intermediary) throw new StationFault("PAA_ID_INTERMEDIARIO_ERRATO", `Intermediario ${fields.idBrokerPA} sconosciuto`);
  progress.intermediaryFiscalCode = intermediary.fiscalCode;

  const station = await db.client.station.findUnique({ where: { code: fields.idStation } });
  if (!station || station.intermediaryId !== intermediary.id || !station.enabled) {
    throw new StationFault("PAA_STAZIONE_INT_ERRATA", `Stazione ${fields.idStation} non appartenente all'intermediario`);
  }
  progress.stationCode = station.code;
  guard(station);

  const tenant = await db.client.tenant.findUnique({ where: { fiscalCode: fields.idPA } });
  const known = tenant && tenant.intermediaryId === intermediary.id &&
    (tenant.status === "LIVE" || (tenant.status === "TEST" && station.environment === "TEST"));
  if (!tenant || !known) throw new StationFault("PAA_ID_DOMINIO_ERRATO", `Ente ${fields.idPA} non servito da questo intermediario`);
  if (tenant.stationId !== station.id) {
    throw new StationFault("PAA_STAZIONE_INT_ERRATA", `L'ente ${fields.idPA} non è servito dalla stazione ${fields.idStation}`);
  }
  const routed: RoutedTenant = {
    id: tenant.id, fiscalCode: tenant.fiscalCode, name: tenant.name, sector: tenant.sector,
    segregationCode: tenant.segregationCode, auxDigit: tenant.auxDigit,
  };
  progress.tenant = routed;
  return { intermediaryFiscalCode: intermediary.fiscalCode, stationCode: station.code, tenant: routed };
}
