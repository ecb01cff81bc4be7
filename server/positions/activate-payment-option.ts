import { randomBytes } from "node:crypto";
import type { Database } from "../platform/db/database.ts";
import type { AmountRules } from "../catalog/index.ts";
import { AppError } from "../platform/errors.ts";
import { DEFAULT_NODO_TX_MS, withBoundedFastTx } from "./bounded-tx.ts";
import type { Statement } from "../platform/db/fast-sql.ts";
import { findNoticeCall, lockPositionOfNoticeCall, noticeFromRows } from "./payable-notice.repository.ts";
import { noticeState, noticeStateError, requireNotice } from "./notice-state.ts";
import { toPayableNotice, type PayableNoticeTenant, type PayableNotice } from "./payable-notice.ts";
import type { NodoCallOptions } from "./verify-payment-notice.ts";

/** How long an activation holds a notice: the lifetime of a pagoPA payment token. */
export const ACTIVATION_LOCK_MS = 30 * 60_000;

// Under the position's row lock taken above; updated_at is set here as Prisma's @updatedAt would.
const TAKE_LOCK: Statement = {
  name: "positions.take_activation_lock.v1",
  text: `UPDATE payment_options SET payment_token = $3, locked_until = $4, updated_at = now()
         WHERE tenant_id = $1::uuid AND nav = $2 RETURNING id`,
};

export interface Activation extends PayableNotice {
  paymentToken: string;
  lockedUntil: Date;
  /** True when the same token asked again while its lock was live (nothing changed). */
  repeated: boolean;
}

/**
 * Activates a notice for payment (paGetPayment / paGetPaymentV2): checks it is payable and
 * takes the activation lock (payment_token, locked_until = now + 30 min). The position row is
 * locked first (SELECT … FOR UPDATE), so concurrent activations of one position run one after
 * the other and exactly one of them gets the lock. The same token asking again while its lock
 * is live gets the same answer; any other token gets NOTICE_IN_PROGRESS until the receipt
 * arrives or the lock expires. Without a token (the Nodo does not always tell it) a random
 * one is made up, so such activations are never mistaken for one another.
 * @throws AppError NOTICE_UNKNOWN | NOTICE_PAID | NOTICE_CANCELLED | NOTICE_EXPIRED | NOTICE_IN_PROGRESS |
 *   NOTICE_NEEDS_STAMP_SUPPORT
 */
export async function activatePaymentOption(
  db: Database,
  amountRules: AmountRules,
  tenant: PayableNoticeTenant,
  input: {
    nav: string;
    paymentToken?: string;
    /** The caller can only carry transfers credited to an IBAN (paGetPayment version 1). */
    ibanOnly?: boolean;
  },
  options: NodoCallOptions = {},
): Promise<Activation> {
  const now = options.now ?? new Date();
  const token = input.paymentToken ?? `EC${randomBytes(16).toString("hex")}`;
  return withBoundedFastTx(db, tenant.id, options.timeoutMs ?? DEFAULT_NODO_TX_MS, async (tx) => {
    // One round trip: BEGIN, the RLS settings, the position's row lock, then the notice read.
    // Under READ COMMITTED each statement takes a fresh snapshot, so the read sees whatever the
    // transaction we waited for committed.
    const [locked, read] = await tx.batch([
      lockPositionOfNoticeCall(tenant.id, input.nav),
      findNoticeCall(tenant.id, input.nav),
    ]);
    if (!locked!.length) throw noticeStateError("UNKNOWN");
    const notice = requireNotice(noticeFromRows(read));
    const state = noticeState(notice, now, token);
    if (state !== "PAYABLE") throw noticeStateError(state);
    if (input.ibanOnly && notice.transfers.some((t) => !t.iban || t.stampType)) {
      throw new AppError(
        "NOTICE_NEEDS_STAMP_SUPPORT",
        "Il versamento comprende una marca da bollo digitale: usare paGetPaymentV2",
        422,
      );
    }
    const repeated = notice.paymentToken === token && notice.lockedUntil !== null && notice.lockedUntil > now;
    const lockedUntil = repeated ? notice.lockedUntil! : new Date(now.getTime() + ACTIVATION_LOCK_MS);
    if (!repeated) {
      // The write and COMMIT in one round trip.
      const updated = await tx.query(TAKE_LOCK, [tenant.id, input.nav, token, lockedUntil], { commit: true });
      if (updated.length !== 1) throw noticeStateError("UNKNOWN");
    }
    return { ...toPayableNotice(amountRules, tenant, notice, now), paymentToken: token, lockedUntil, repeated };
  });
}
