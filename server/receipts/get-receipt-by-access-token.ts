import type { Database } from "../platform/db/database.ts";

export interface ReceiptView {
  tenantId: string;
  receiptId: string;
  nav: string;
  iuv: string;
  outcome: string;
  amountCents: number;
  feeCents: number | null;
  pspName: string | null;
  paymentMethod: string | null;
  paymentDateTime: Date | null;
  standIn: boolean;
  creditor: { name: string; fiscalCode: string };
  subject: string | null;
  debtor: { fiscalCode: string; name: string } | null;
  transfers: Array<{ index: number; beneficiaryFiscalCode: string; amountCents: number; remittanceText: string }>;
}

const TOKEN = /^[\w-]{32,64}$/;

/**
 * The receipt behind a payer's unguessable link. The token alone identifies the receipt, so the
 * lookup starts in platform scope (its only filter is the token); everything shown is then read
 * inside the receipt's own tenant scope.
 */
export async function getReceiptByAccessToken(db: Database, token: string): Promise<ReceiptView | null> {
  if (!TOKEN.test(token)) return null;
  const found = await db.withPlatformScope("citizen receipt link by access token", (tx) =>
    tx.receipt.findUnique({ where: { accessToken: token }, select: { id: true, tenantId: true } }),
  );
  if (!found) return null;
  const tenant = await db.client.tenant.findUniqueOrThrow({ where: { id: found.tenantId }, select: { name: true, fiscalCode: true } });
  return db.withTenant(found.tenantId, async (tx) => {
    const r = await tx.receipt.findUniqueOrThrow({ where: { id: found.id }, include: { option: { include: { position: true, transfers: true } } } });
    const position = r.option?.position;
    return {
      tenantId: r.tenantId,
      receiptId: r.receiptId,
      nav: r.nav,
      iuv: r.iuv,
      outcome: r.outcome,
      amountCents: r.amountCents,
      feeCents: r.feeCents,
      pspName: r.pspName,
      paymentMethod: r.paymentMethod,
      paymentDateTime: r.paymentDateTime,
      standIn: r.standIn,
      creditor: tenant,
      subject: position?.subject ?? null,
      debtor: position ? { fiscalCode: position.debtorFiscalCode, name: position.debtorName } : null,
      transfers: (r.option?.transfers ?? [])
        .sort((a, b) => a.index - b.index)
        .map((t) => ({ index: t.index, beneficiaryFiscalCode: t.beneficiaryFiscalCode, amountCents: t.paidCents ?? t.amountCents, remittanceText: t.remittanceText })),
    };
  });
}
