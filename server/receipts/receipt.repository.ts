import type { Tx } from "../platform/db/database.ts";

/** A stored receipt with what its document prints: the position's subject and debtor. */
export interface StoredReceipt {
  id: string;
  tenantId: string;
  receiptId: string;
  nav: string;
  iuv: string;
  outcome: string;
  amountCents: number;
  feeCents: number | null;
  pspId: string;
  pspName: string | null;
  channelId: string | null;
  paymentMethod: string | null;
  paymentDateTime: Date | null;
  receivedAt: Date;
  standIn: boolean;
  payer: unknown;
  debtor: unknown;
  transfers: unknown;
  cart: unknown;
  position: { subject: string; debtorFiscalCode: string; debtorName: string } | null;
}

const select = {
  id: true, tenantId: true, receiptId: true, nav: true, iuv: true, outcome: true, amountCents: true, feeCents: true,
  pspId: true, pspName: true, channelId: true, paymentMethod: true, paymentDateTime: true, receivedAt: true, standIn: true,
  payer: true, debtor: true, transfers: true, cart: true,
  option: { select: { position: { select: { subject: true, debtorFiscalCode: true, debtorName: true } } } },
} as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A receipt of the tenant in scope by its row id (an id that is not a uuid is simply not found). */
export async function findStoredReceipt(tx: Tx, tenantId: string, id: string): Promise<StoredReceipt | null> {
  if (!UUID.test(id)) return null;
  const row = await tx.receipt.findFirst({ where: { tenantId, id }, select });
  if (!row) return null;
  const { option, ...receipt } = row;
  return { ...receipt, position: option?.position ?? null };
}

/** Names of beneficiaries that are councils on this platform, by fiscal code (platform data). */
export async function beneficiaryNames(tx: Tx, fiscalCodes: string[]): Promise<Map<string, string>> {
  if (fiscalCodes.length === 0) return new Map();
  const rows = await tx.tenant.findMany({ where: { fiscalCode: { in: fiscalCodes } }, select: { fiscalCode: true, name: true } });
  return new Map(rows.map((r) => [r.fiscalCode, r.name]));
}
