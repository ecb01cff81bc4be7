import type { Call, FastTx, Statement } from "../platform/db/fast-sql.ts";
import { uuid7 } from "../platform/db/uuid7.ts";
import type { NoticeRecord } from "./notice.repository.ts";
import type { ReceiptInput } from "./register-receipt.ts";

// The receipt's statements on the station's pg path (docs/decisions/0004): the same rows and
// columns Prisma wrote, with the ids (uuid v7) and updated_at set here as Prisma did.

const INSERT_RECEIPT: Statement = {
  name: "positions.insert_receipt.v1",
  text: `
    INSERT INTO receipts (id, tenant_id, option_id, receipt_id, nav, iuv, outcome, amount_cents, fee_cents, psp_id,
                          psp_name, psp_fiscal_code, channel_id, payment_method, payment_date_time, application_date,
                          transfer_date, stand_in, payer, debtor, transfers, access_token)
    VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5, $6, $7, $8::int, $9::int, $10, $11, $12, $13, $14, $15::timestamptz,
            $16::date, $17::date, $18::boolean, $19::jsonb, $20::jsonb, $21::jsonb, $22)
    ON CONFLICT (tenant_id, receipt_id) DO NOTHING
    RETURNING id`,
};

const MARK_OPTION_PAID: Statement = {
  name: "positions.mark_option_paid.v1",
  text: `UPDATE payment_options SET status = 'PAID', paid_at = $3::timestamptz, payment_token = NULL, locked_until = NULL,
         updated_at = now() WHERE tenant_id = $1::uuid AND id = $2::uuid`,
};

const RELEASE_LOCK: Statement = {
  name: "positions.release_activation_lock.v1",
  text: `UPDATE payment_options SET payment_token = NULL, locked_until = NULL, updated_at = now()
         WHERE tenant_id = $1::uuid AND id = $2::uuid`,
};

// Transfers not named by the receipt keep their paid_cents, as with one updateMany per transfer.
const PAY_TRANSFERS: Statement = {
  name: "positions.pay_transfers.v1",
  text: `UPDATE transfers t SET paid_cents = x.amount_cents
         FROM jsonb_to_recordset($3::jsonb) AS x(index int, amount_cents int)
         WHERE t.tenant_id = $1::uuid AND t.option_id = $2::uuid AND t.index = x.index`,
};

const SET_POSITION_STATUS: Statement = {
  name: "positions.set_position_status.v1",
  text: `UPDATE debt_positions SET status = $3::"PositionStatus", paid_at = $4::timestamptz, updated_at = now()
         WHERE tenant_id = $1::uuid AND id = $2::uuid`,
};

const INSERT_AUDIT: Statement = {
  name: "audit.insert.v1",
  text: `INSERT INTO audit_log (id, tenant_id, actor_type, actor_id, action, entity_type, entity_id, before, after, request_id)
         VALUES ($1::uuid, $2::uuid, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10)`,
};

const day = (d: Date | null | undefined) => (d ? d.toISOString().slice(0, 10) : null);

/** Inserts the receipt unless (tenant, receiptId) is stored already; returns its id, or null. */
export async function insertReceipt(tx: FastTx, tenantId: string, optionId: string | null, input: ReceiptInput, accessToken: string): Promise<string | null> {
  const rows = await tx.query<{ id: string }>(INSERT_RECEIPT, [
    uuid7(), tenantId, optionId, input.receiptId, input.nav, input.creditorReferenceId, input.outcome, input.amountCents,
    input.feeCents ?? null, input.pspId, input.pspName ?? null, input.pspFiscalCode ?? null, input.channelId ?? null,
    input.paymentMethod ?? null, input.paymentDateTime ?? null, day(input.applicationDate), day(input.transferDate),
    input.standIn, input.payer ?? null, input.debtor ?? null, input.transfers, accessToken,
  ]);
  return rows[0]?.id ?? null;
}

/**
 * The writes of a positive receipt: option paid, transfers' paid amounts, the position PAID or
 * PARTIALLY_PAID (installments still open). Returns the calls (sent with the audit entry and
 * COMMIT in one message) and the position's new status.
 */
export function paymentCalls(tenantId: string, notice: NoticeRecord, input: ReceiptInput, now: Date): { calls: Call[]; status: string } {
  const paidAt = input.paymentDateTime ?? now;
  const siblings = notice.position.options.filter((o) => o.kind === notice.kind && o.id !== notice.id);
  const allPaid = notice.kind === "SINGLE" || siblings.every((o) => o.status === "PAID" || o.status === "REPORTED");
  const status = allPaid ? "PAID" : "PARTIALLY_PAID";
  const calls: Call[] = [[MARK_OPTION_PAID, [tenantId, notice.id, paidAt]]];
  if (input.transfers.length) {
    calls.push([PAY_TRANSFERS, [tenantId, notice.id, input.transfers.map((t) => ({ index: t.index, amount_cents: t.amountCents }))]]);
  }
  calls.push([SET_POSITION_STATUS, [tenantId, notice.position.id, status, allPaid ? paidAt : null]]);
  return { calls, status };
}

export const releaseLockCall = (tenantId: string, optionId: string): Call => [RELEASE_LOCK, [tenantId, optionId]];

/** The audit entry as a call, written in the same transaction (the table refuses UPDATE/DELETE). */
export function auditCall(entry: {
  tenantId: string | null; actor: { type: string; id: string }; action: string; entityType: string; entityId?: string;
  before?: unknown; after?: unknown; requestId?: string;
}): Call {
  return [INSERT_AUDIT, [
    uuid7(), entry.tenantId, entry.actor.type, entry.actor.id, entry.action, entry.entityType, entry.entityId ?? null,
    entry.before ?? null, entry.after ?? null, entry.requestId ?? null,
  ]];
}
