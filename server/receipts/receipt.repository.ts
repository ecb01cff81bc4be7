import type { Tx } from "../platform/db/database.ts";
import type { FastTx, Statement } from "../platform/db/fast-sql.ts";
import { uuid7 } from "../platform/db/uuid7.ts";

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
  id: true,
  tenantId: true,
  receiptId: true,
  nav: true,
  iuv: true,
  outcome: true,
  amountCents: true,
  feeCents: true,
  pspId: true,
  pspName: true,
  channelId: true,
  paymentMethod: true,
  paymentDateTime: true,
  receivedAt: true,
  standIn: true,
  payer: true,
  debtor: true,
  transfers: true,
  cart: true,
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
  const rows = await tx.tenant.findMany({
    where: { fiscalCode: { in: fiscalCodes } },
    select: { fiscalCode: true, name: true },
  });
  return new Map(rows.map((r) => [r.fiscalCode, r.name]));
}

/** A receipt as the Nodo sent it (paSendRTV2), ready to store. */
export interface NewReceipt {
  receiptId: string;
  nav: string;
  /** The IUV. */
  creditorReferenceId: string;
  outcome: "OK" | "KO";
  amountCents: number;
  feeCents?: number | null;
  pspId: string;
  pspName?: string | null;
  pspFiscalCode?: string | null;
  channelId?: string | null;
  paymentMethod?: string | null;
  paymentDateTime?: Date | null;
  applicationDate?: Date | null;
  transferDate?: Date | null;
  standIn: boolean;
  payer?: object | null;
  debtor?: object | null;
  transfers: object[];
}

// Written on the station's pg path (docs/decisions/0004): the same row Prisma would write, with
// the id (uuid v7) set here as Prisma did.
const INSERT_RECEIPT: Statement = {
  name: "receipts.insert.v1",
  text: `
    INSERT INTO receipts (id, tenant_id, option_id, receipt_id, nav, iuv, outcome, amount_cents, fee_cents, psp_id,
                          psp_name, psp_fiscal_code, channel_id, payment_method, payment_date_time, application_date,
                          transfer_date, stand_in, payer, debtor, transfers, access_token)
    VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5, $6, $7, $8::int, $9::int, $10, $11, $12, $13, $14, $15::timestamptz,
            $16::date, $17::date, $18::boolean, $19::jsonb, $20::jsonb, $21::jsonb, $22)
    ON CONFLICT (tenant_id, receipt_id) DO NOTHING
    RETURNING id`,
};

const day = (d: Date | null | undefined) => (d ? d.toISOString().slice(0, 10) : null);

/** Inserts the receipt unless (tenant, receiptId) is stored already; returns its id, or null. */
export async function insertReceipt(
  tx: FastTx,
  tenantId: string,
  optionId: string | null,
  input: NewReceipt,
  accessToken: string,
): Promise<string | null> {
  const rows = await tx.query<{ id: string }>(INSERT_RECEIPT, [
    uuid7(),
    tenantId,
    optionId,
    input.receiptId,
    input.nav,
    input.creditorReferenceId,
    input.outcome,
    input.amountCents,
    input.feeCents ?? null,
    input.pspId,
    input.pspName ?? null,
    input.pspFiscalCode ?? null,
    input.channelId ?? null,
    input.paymentMethod ?? null,
    input.paymentDateTime ?? null,
    day(input.applicationDate),
    day(input.transferDate),
    input.standIn,
    input.payer ?? null,
    input.debtor ?? null,
    input.transfers,
    accessToken,
  ]);
  return rows[0]?.id ?? null;
}
