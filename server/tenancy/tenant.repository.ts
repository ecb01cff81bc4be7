import type { Database } from "../platform/db/database.ts";
import type { Tenant } from "../generated/prisma/client.ts";

// Tenants, stations and the intermediary are platform data (no RLS): every role must be able
// to resolve who a request is for before any tenant scope exists.

export function findTenantByFiscalCode(db: Database, fiscalCode: string): Promise<Tenant | null> {
  return db.client.tenant.findUnique({ where: { fiscalCode } });
}

export function findTenantByIpaCode(db: Database, ipaCode: string): Promise<Tenant | null> {
  return db.client.tenant.findUnique({ where: { ipaCode } });
}

export function listTenants(db: Database): Promise<Tenant[]> {
  return db.client.tenant.findMany({ orderBy: { name: "asc" } });
}
