import type { Database } from "../platform/db/database.ts";
import type { Statement } from "../platform/db/fast-sql.ts";
import type { Tenant } from "../generated/prisma/client.ts";

// Tenants, stations and the intermediary are platform data (no RLS): every role must be able
// to resolve who a request is for before any tenant scope exists.

export function findTenantByFiscalCode(db: Database, fiscalCode: string): Promise<Tenant | null> {
  return db.client.tenant.findUnique({ where: { fiscalCode } });
}

/**
 * Every column of `tenants` under its Prisma field name, so a row read on pg is the `Tenant`
 * Prisma would give (timestamptz as Date, smallint as number, jsonb parsed, text[] as array).
 */
const TENANT_COLUMNS = `id::text, intermediary_id::text AS "intermediaryId", station_id::text AS "stationId",
  fiscal_code AS "fiscalCode", ipa_code AS "ipaCode", name, sector, info, segregation_code AS "segregationCode",
  aux_digit AS "auxDigit", cbill, postal_account AS "postalAccount", status::text AS status, branding,
  contact_email AS "contactEmail", aca_enabled AS "acaEnabled", daily_export_layouts AS "dailyExportLayouts",
  created_at AS "createdAt", updated_at AS "updatedAt"`;

const BY_IPA: Statement = {
  name: "tenancy.tenant_by_ipa",
  text: `SELECT ${TENANT_COLUMNS} FROM tenants WHERE ipa_code = $1`,
};

/**
 * The council of an IPA code. On pg (`Database.sql`, a prepared statement, no Prisma engine:
 * docs/decisions/0004): every API request and portal page resolves its council this way first.
 */
export async function findTenantByIpaCode(db: Database, ipaCode: string): Promise<Tenant | null> {
  const [row] = await db.sql.query<Tenant>(BY_IPA, [ipaCode]);
  return row ?? null;
}

export function listTenants(db: Database): Promise<Tenant[]> {
  return db.client.tenant.findMany({ orderBy: { name: "asc" } });
}
