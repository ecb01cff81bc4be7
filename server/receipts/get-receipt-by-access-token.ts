import { z } from "zod";
import type { Database } from "../platform/db/database.ts";
import { presentFee } from "./fee-presentation.ts";
import { paymentMethodLabel } from "./payment-method.ts";
import { beneficiaryNames } from "./receipt.repository.ts";

export interface ReceiptView {
  tenantId: string;
  receiptId: string;
  nav: string;
  iuv: string;
  outcome: string;
  amountCents: number;
  /** The fee shown on this receipt (null when none, or shown on another receipt of the same cart). */
  feeCents: number | null;
  /** Italian sentence on where a cart's single fee is shown, or null. */
  feeNote: string | null;
  /** What this receipt certifies as paid (amount, plus the fee when shown here). */
  totalCents: number;
  pspName: string | null;
  /** The payment method in Italian ("Carta di pagamento"), or null. */
  paymentMethod: string | null;
  paymentDateTime: Date | null;
  standIn: boolean;
  creditor: { name: string; fiscalCode: string };
  subject: string | null;
  debtor: { fiscalCode: string; name: string } | null;
  payer: { fiscalCode: string; name: string } | null;
  transfers: Array<{
    index: number;
    beneficiaryName: string;
    beneficiaryFiscalCode: string;
    amountCents: number;
    remittanceText: string;
  }>;
}

const TOKEN = /^[\w-]{32,64}$/;
// The payer comes from the Nodo's message: parse it, never trust its shape.
const subjectJson = z.object({ fiscalCode: z.string(), name: z.string() }).nullable().catch(null);

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
  const tenant = await db.client.tenant.findUniqueOrThrow({
    where: { id: found.tenantId },
    select: { name: true, fiscalCode: true },
  });
  return db.withTenant(found.tenantId, async (tx) => {
    const r = await tx.receipt.findUniqueOrThrow({
      where: { id: found.id },
      include: { option: { include: { position: true, transfers: true } } },
    });
    const position = r.option?.position;
    const transfers = (r.option?.transfers ?? []).sort((a, b) => a.index - b.index);
    const names = await beneficiaryNames(
      tx,
      transfers.map((t) => t.beneficiaryFiscalCode),
    );
    const fee = presentFee(r, tenant.fiscalCode);
    return {
      tenantId: r.tenantId,
      receiptId: r.receiptId,
      nav: r.nav,
      iuv: r.iuv,
      outcome: r.outcome,
      amountCents: r.amountCents,
      feeCents: fee.feeCents,
      feeNote: fee.note,
      totalCents: fee.totalCents,
      pspName: r.pspName,
      paymentMethod: paymentMethodLabel(r.paymentMethod),
      paymentDateTime: r.paymentDateTime,
      standIn: r.standIn,
      creditor: tenant,
      subject: position?.subject ?? null,
      debtor: position ? { fiscalCode: position.debtorFiscalCode, name: position.debtorName } : null,
      payer: subjectJson.parse(r.payer),
      transfers: transfers.map((t) => ({
        index: t.index,
        beneficiaryName:
          names.get(t.beneficiaryFiscalCode) ??
          (t.beneficiaryFiscalCode === tenant.fiscalCode ? tenant.name : "Ente beneficiario"),
        beneficiaryFiscalCode: t.beneficiaryFiscalCode,
        amountCents: t.paidCents ?? t.amountCents,
        remittanceText: t.remittanceText,
      })),
    };
  });
}
