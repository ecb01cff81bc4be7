import type { Database } from "../platform/db/database.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const normal = (fiscalCode: string) => fiscalCode.trim().toUpperCase();

/**
 * The position `positionId` of council `tenantId` if its debtor is `fiscalCode` (the SPID
 * session's, never one from the request), else null: another person's position is "not found".
 */
export async function findDebtorPosition(
  db: Database,
  tenantId: string,
  positionId: string,
  fiscalCode: string,
): Promise<{ id: string } | null> {
  if (!UUID.test(tenantId) || !UUID.test(positionId)) return null;
  return db.withTenant(tenantId, (tx) =>
    tx.debtPosition.findFirst({
      where: { tenantId, id: positionId, debtorFiscalCode: normal(fiscalCode) },
      select: { id: true },
    }),
  );
}

/**
 * Whether the notice `nav` of council `tenantId` belongs to the debtor `fiscalCode`, whatever its
 * state: the portal tells an anonymous visitor more about a notice (why it cannot be paid, its
 * PDF with the debtor's data) only when they show they know whose it is.
 */
export async function isNoticeOfDebtor(
  db: Database,
  tenantId: string,
  nav: string,
  fiscalCode: string,
): Promise<boolean> {
  if (!UUID.test(tenantId) || !/^\d{18}$/.test(nav) || !fiscalCode.trim()) return false;
  const found = await db.withTenant(tenantId, (tx) =>
    tx.paymentOption.findFirst({
      where: { tenantId, nav, position: { debtorFiscalCode: normal(fiscalCode) } },
      select: { id: true },
    }),
  );
  return found !== null;
}
