import type { Database } from "../platform/db/database.ts";
import type { AmountRules } from "../catalog/index.ts";
import { DEFAULT_NODO_TX_MS } from "./bounded-tx.ts";
import { findNoticeCall, noticeFromRows } from "./payable-notice.repository.ts";
import { noticeState, noticeStateError, requireNotice } from "./notice-state.ts";
import { toPayableNotice, type PayableNoticeTenant, type PayableNotice } from "./payable-notice.ts";

export interface NodoCallOptions {
  now?: Date;
  /** Budget of the database work in milliseconds (default 4 s). */
  timeoutMs?: number;
}

/**
 * Answers "can this notice be paid, and for how much right now?" (paVerifyPaymentNotice).
 * Reads only: it takes no lock and changes nothing.
 * @throws AppError NOTICE_UNKNOWN | NOTICE_PAID | NOTICE_CANCELLED | NOTICE_EXPIRED | NOTICE_IN_PROGRESS
 */
export async function verifyPaymentNotice(
  db: Database,
  amountRules: AmountRules,
  tenant: PayableNoticeTenant,
  nav: string,
  options: NodoCallOptions = {},
): Promise<PayableNotice> {
  const now = options.now ?? new Date();
  // One round trip on the station's pg path: the tenant's RLS settings and the notice read in
  // one implicit transaction (docs/decisions/0004-nodo-hot-path-on-pg.md).
  const [rows] = await db.sql.readAsTenant(tenant.id, [findNoticeCall(tenant.id, nav)], {
    statementTimeoutMs: Math.max(100, options.timeoutMs ?? DEFAULT_NODO_TX_MS),
  });
  const notice = requireNotice(noticeFromRows(rows));
  const state = noticeState(notice, now);
  if (state !== "PAYABLE") throw noticeStateError(state);
  return toPayableNotice(amountRules, tenant, notice, now);
}
