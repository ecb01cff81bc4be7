import type { Database } from "../platform/db/database.ts";
import { DEFAULT_NODO_TX_MS, withBoundedFastTx } from "./bounded-tx.ts";
import { findNotice } from "./notice.repository.ts";
import { noticeState, noticeStateError, requireNotice } from "./notice-state.ts";
import { toNoticeView, type NoticeTenant, type NoticeView } from "./notice-view.ts";

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
  tenant: NoticeTenant,
  nav: string,
  options: NodoCallOptions = {},
): Promise<NoticeView> {
  const now = options.now ?? new Date();
  return withBoundedFastTx(db, tenant.id, options.timeoutMs ?? DEFAULT_NODO_TX_MS, async (tx) => {
    const notice = requireNotice(await findNotice(tx, tenant.id, nav));
    const state = noticeState(notice, now);
    if (state !== "PAYABLE") throw noticeStateError(state);
    return toNoticeView(tenant, notice, now);
  });
}
