import type { Database } from "../platform/db/database.ts";
import type { TenantStatus } from "../generated/prisma/client.ts";

export interface CitizenOpenOption {
  nav: string;
  amountCents: number;
  dueDate: Date;
  installmentNumber: number | null;
  installmentCount: number | null;
}

export interface CitizenOpenPosition {
  tenantId: string;
  council: string;
  creditorFiscalCode: string;
  positionId: string;
  subject: string;
  /** Options still payable: the single payment and/or the unpaid installments. */
  options: CitizenOpenOption[];
}

export interface CitizenPayment {
  tenantId: string;
  council: string;
  subject: string | null;
  nav: string;
  amountCents: number;
  paidAt: Date;
  /** The receipt's unguessable link token (page and PDF). */
  accessToken: string;
}

export interface CitizenPositions {
  open: CitizenOpenPosition[];
  paid: CitizenPayment[];
}

/**
 * Anyone can type anyone's fiscal code on a service form: a position made on the portal is the
 * citizen's only if they made it logged in with SPID (issue 13 item 3). Anonymous ones show to nobody.
 */
const ownPortalPositions = (fiscalCode: string) => ({
  OR: [{ origin: { not: "PORTAL" as const } }, { portalCitizenFiscalCode: fiscalCode }],
});

/**
 * "My positions" of a logged-in citizen: the open debts of their fiscal code across every council
 * of the platform, and their payments with receipts. The only filter is the fiscal code that SPID
 * certified, so this is one of the few legitimate cross-tenant reads (platform scope, named
 * reason). Callers must pass the session's fiscal code, never one from the request.
 */
export async function listCitizenPositions(
  db: Database,
  fiscalCode: string,
  now = new Date(),
  limit = 100,
  /** Councils whose debts a citizen sees (tenancy's citizenTenantStatuses): LIVE unless told. */
  tenantStatuses: readonly TenantStatus[] = ["LIVE"],
): Promise<CitizenPositions> {
  return db.withPlatformScope("citizen's own positions by SPID fiscal code", async (tx) => {
    const positions = await tx.debtPosition.findMany({
      where: {
        debtorFiscalCode: fiscalCode,
        status: { in: ["VALID", "PARTIALLY_PAID"] },
        tenant: { status: { in: [...tenantStatuses] } },
        AND: [{ OR: [{ validFrom: null }, { validFrom: { lte: now } }] }, ownPortalPositions(fiscalCode)],
      },
      orderBy: { createdAt: "desc" },
      take: limit,
      select: {
        id: true,
        tenantId: true,
        subject: true,
        tenant: { select: { name: true, fiscalCode: true } },
        options: {
          // Status is the truth: the expiry job moves options past their due date to EXPIRED.
          where: { status: "UNPAID" },
          orderBy: [{ kind: "asc" }, { installmentNumber: "asc" }],
          select: { nav: true, amountCents: true, dueDate: true, installmentNumber: true, installmentCount: true },
        },
      },
    });
    const receipts = await tx.receipt.findMany({
      where: {
        outcome: "OK",
        option: { position: { debtorFiscalCode: fiscalCode, ...ownPortalPositions(fiscalCode) } },
        tenant: { status: { in: [...tenantStatuses] } },
      },
      orderBy: { receivedAt: "desc" },
      take: limit,
      select: {
        tenantId: true,
        nav: true,
        amountCents: true,
        paymentDateTime: true,
        receivedAt: true,
        accessToken: true,
        tenant: { select: { name: true } },
        option: { select: { position: { select: { subject: true } } } },
      },
    });
    return {
      open: positions
        .filter((p) => p.options.length > 0)
        .map((p) => ({
          tenantId: p.tenantId,
          council: p.tenant.name,
          creditorFiscalCode: p.tenant.fiscalCode,
          positionId: p.id,
          subject: p.subject,
          options: p.options,
        })),
      paid: receipts.map((r) => ({
        tenantId: r.tenantId,
        council: r.tenant.name,
        subject: r.option?.position.subject ?? null,
        nav: r.nav,
        amountCents: r.amountCents,
        paidAt: r.paymentDateTime ?? r.receivedAt,
        accessToken: r.accessToken,
      })),
    };
  });
}
