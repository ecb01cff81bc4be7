import type { Database } from "../platform/db/database.ts";
import { recordAudit, type Actor } from "../audit/index.ts";

export interface TenantOverview {
  id: string;
  name: string;
  ipaCode: string;
  fiscalCode: string;
  status: string;
  stationCode: string;
  openPositions: number;
  /** Receipts with a positive outcome in the window, and their total. */
  payments: number;
  paidCents: number;
  /** Faults the station answered in the window, and the latest ones. */
  faults: number;
  lastFaults: Array<{ at: Date; operation: string; faultCode: string | null; nav: string | null }>;
}

/**
 * The helpdesk's view of every council: status and station, open positions, payments and the
 * station's faults over the last `days` days (default 30), with the latest faults to look into.
 * Aggregates over all tenants in platform scope; the read itself is audited once.
 */
export async function tenantsOverview(
  db: Database,
  actor: Actor,
  now = new Date(),
  days = 30,
): Promise<TenantOverview[]> {
  const since = new Date(now.getTime() - days * 86_400_000);
  return db.withPlatformScope("helpdesk: tenants overview", async (tx) => {
    const tenants = await tx.tenant.findMany({
      orderBy: { name: "asc" },
      include: { station: { select: { code: true } } },
    });
    const [open, paid, faults] = await Promise.all([
      tx.debtPosition.groupBy({
        by: ["tenantId"],
        where: { status: { in: ["VALID", "PARTIALLY_PAID"] } },
        _count: { _all: true },
      }),
      tx.receipt.groupBy({
        by: ["tenantId"],
        where: { outcome: "OK", receivedAt: { gte: since } },
        _count: { _all: true },
        _sum: { amountCents: true },
      }),
      tx.nodoMessage.groupBy({
        by: ["tenantId"],
        where: { createdAt: { gte: since }, outcome: { in: ["KO", "FAULT"] } },
        _count: { _all: true },
      }),
    ]);
    const openBy = new Map(open.map((r) => [r.tenantId, r._count._all]));
    const paidBy = new Map(paid.map((r) => [r.tenantId, r]));
    const faultsBy = new Map(faults.map((r) => [r.tenantId, r._count._all]));
    const overview: TenantOverview[] = [];
    for (const t of tenants) {
      const last = faultsBy.get(t.id)
        ? await tx.nodoMessage.findMany({
            where: { tenantId: t.id, createdAt: { gte: since }, outcome: { in: ["KO", "FAULT"] } },
            orderBy: { createdAt: "desc" },
            take: 3,
            select: { createdAt: true, operation: true, faultCode: true, nav: true },
          })
        : [];
      overview.push({
        id: t.id,
        name: t.name,
        ipaCode: t.ipaCode,
        fiscalCode: t.fiscalCode,
        status: t.status,
        stationCode: t.station.code,
        openPositions: openBy.get(t.id) ?? 0,
        payments: paidBy.get(t.id)?._count._all ?? 0,
        paidCents: paidBy.get(t.id)?._sum.amountCents ?? 0,
        faults: faultsBy.get(t.id) ?? 0,
        lastFaults: last.map((m) => ({ at: m.createdAt, operation: m.operation, faultCode: m.faultCode, nav: m.nav })),
      });
    }
    await recordAudit(tx, {
      tenantId: null,
      actor,
      action: "helpdesk.overview",
      entityType: "Tenant",
      after: { tenants: overview.length, days },
    });
    return overview;
  });
}
