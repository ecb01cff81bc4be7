import type { Call, Statement } from "../platform/db/fast-sql.ts";
import type { NoticeRecord } from "./payable-notice.repository.ts";
import type { ReceiptInput } from "./register-receipt.ts";

// What paying a notice changes on the station's pg path (docs/decisions/0004): the option, its
// transfers and the position, with updated_at set here as Prisma did. The receipt row itself is
// written by receipts/, the audit row by audit/.

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

/**
 * The writes of a positive receipt: option paid, transfers' paid amounts, the position PAID or
 * PARTIALLY_PAID (installments still open). Returns the calls (sent with the audit entry and
 * COMMIT in one message) and the position's new status.
 */
export function paymentCalls(
  tenantId: string,
  notice: NoticeRecord,
  input: ReceiptInput,
  now: Date,
): { calls: Call[]; status: string } {
  const paidAt = input.paymentDateTime ?? now;
  const siblings = notice.position.options.filter((o) => o.kind === notice.kind && o.id !== notice.id);
  const allPaid = notice.kind === "SINGLE" || siblings.every((o) => o.status === "PAID" || o.status === "REPORTED");
  const status = allPaid ? "PAID" : "PARTIALLY_PAID";
  const calls: Call[] = [[MARK_OPTION_PAID, [tenantId, notice.id, paidAt]]];
  if (input.transfers.length) {
    calls.push([
      PAY_TRANSFERS,
      [tenantId, notice.id, input.transfers.map((t) => ({ index: t.index, amount_cents: t.amountCents }))],
    ]);
  }
  calls.push([SET_POSITION_STATUS, [tenantId, notice.position.id, status, allPaid ? paidAt : null]]);
  return { calls, status };
}

export const releaseLockCall = (tenantId: string, optionId: string): Call => [RELEASE_LOCK, [tenantId, optionId]];
