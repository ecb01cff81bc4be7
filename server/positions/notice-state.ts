import { AppError, type ErrorCode } from "../platform/errors.ts";
import type { NoticeRecord } from "./payable-notice.repository.ts";

/** Where a notice stands for the Nodo, in the order the checks apply. */
export type NoticeState = "UNKNOWN" | "PAID" | "CANCELLED" | "EXPIRED" | "IN_PROGRESS" | "PAYABLE";

type StateInput = Pick<NoticeRecord, "id" | "kind" | "status" | "expiresAt" | "paymentToken" | "lockedUntil"> & {
  position: Pick<NoticeRecord["position"], "status" | "validFrom"> & {
    options: Array<Pick<NoticeRecord, "id" | "kind" | "status" | "paymentToken" | "lockedUntil">>;
  };
};

const live = (o: { lockedUntil: Date | null }, now: Date) => o.lockedUntil !== null && o.lockedUntil > now;

/**
 * Decides whether a notice can be paid now. A position not yet published or valid is unknown
 * to the outside world. Once any installment is paid, the single option would overpay: it
 * counts as paid. An activation of the single option blocks the installments and vice versa,
 * so one position is never paid twice over concurrently. A live lock held by `token` itself is
 * no obstacle (the same activation asking again).
 */
export function noticeState(n: StateInput, now: Date, token?: string): NoticeState {
  const p = n.position;
  if (p.status === "DRAFT" || (p.validFrom && p.validFrom > now)) return "UNKNOWN";
  if (n.status === "PAID" || n.status === "REPORTED" || p.status === "PAID" || p.status === "REPORTED") return "PAID";
  if (n.kind === "SINGLE" && p.status === "PARTIALLY_PAID") return "PAID";
  if (n.status === "CANCELLED" || p.status === "CANCELLED") return "CANCELLED";
  if (n.status === "EXPIRED" || p.status === "EXPIRED" || (n.expiresAt && n.expiresAt <= now)) return "EXPIRED";
  if (live(n, now) && n.paymentToken !== token) return "IN_PROGRESS";
  const rivals = p.options.filter((o) => o.id !== n.id && o.kind !== n.kind && o.status === "UNPAID");
  if (rivals.some((o) => live(o, now))) return "IN_PROGRESS";
  return "PAYABLE";
}

const FAILURES: Record<Exclude<NoticeState, "PAYABLE">, [code: ErrorCode, message: string]> = {
  UNKNOWN: ["NOTICE_UNKNOWN", "Notice unknown or not yet payable"],
  PAID: ["NOTICE_PAID", "Notice already paid"],
  CANCELLED: ["NOTICE_CANCELLED", "Notice cancelled"],
  EXPIRED: ["NOTICE_EXPIRED", "Notice expired"],
  IN_PROGRESS: ["NOTICE_IN_PROGRESS", "A payment of this notice is in progress"],
};

/** The AppError a non-payable state is reported with (codes are matched by the Nodo fault map). */
export function noticeStateError(state: Exclude<NoticeState, "PAYABLE">): AppError {
  const [code, message] = FAILURES[state];
  return new AppError(code, message, state === "UNKNOWN" ? 404 : 409);
}

/** @throws AppError NOTICE_UNKNOWN when the notice is absent. */
export function requireNotice<T>(n: T | null): T {
  if (!n) throw noticeStateError("UNKNOWN");
  return n;
}
