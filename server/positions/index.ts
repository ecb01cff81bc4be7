export { createPosition, type CreatedPosition } from "./create-position.ts";
export {
  createSpontaneousPosition,
  SPONTANEOUS_DUE_DAYS,
  type SpontaneousRequest,
  type SpontaneousResult,
} from "./create-spontaneous-position.ts";
export { allocateNoticeNumbers, type TenantNumbering } from "./allocate-notice-numbers.ts";
export { reserveNoticeNumbersApart, type ReservedNumbers } from "./reserve-notice-numbers-apart.ts";
export { createPositionSchema, debtorSchema, MAX_AMOUNT_CENTS, type CreatePositionInput } from "./position.schema.ts";
// Nodo-facing use cases (called by nodo/ through this port only).
export { verifyPaymentNotice, type NodoCallOptions } from "./verify-payment-notice.ts";
export { activatePaymentOption, ACTIVATION_LOCK_MS, type Activation } from "./activate-payment-option.ts";
export {
  registerReceipt,
  type ReceiptInput,
  type RegisteredReceipt,
  type ReceiptFollowUps,
} from "./register-receipt.ts";
export { demandPaymentNotice, DEMAND_DUE_DAYS, type DemandInput } from "./demand-payment-notice.ts";
export type { PayableNotice, PayableNoticeTenant, PayableNoticeTransfer } from "./payable-notice.ts";
export {
  receiptRegisteredSchema,
  receiptRegisteredJobId,
  type ReceiptRegisteredEvent,
} from "./receipt-registered.event.ts";
export { expireOverdueOptionsJob } from "./expire-overdue-options.job.ts";
export { getNoticePaymentStatus, type NoticePaymentStatus } from "./get-notice-payment-status.ts";
export {
  listCitizenPositions,
  type CitizenPositions,
  type CitizenOpenPosition,
  type CitizenPayment,
} from "./list-citizen-positions.ts";
// Counter (back-office) use cases.
export {
  searchPositions,
  positionSearchSchema,
  POSITIONS_PAGE_SIZE,
  type PositionSearch,
  type PositionRow,
} from "./search-positions.ts";
export { getPositionDetail, importUploadOf, type PositionDetail } from "./get-position-detail.ts";
export { cancelPosition, cancelPositionInTx } from "./cancel-position.ts";
export { updatePositionPlanInTx } from "./update-position-plan.ts";
export { findPositionByKeys, existingPositionKeys } from "./find-position-by-keys.ts";
export { createPositionsBatch, type BatchOptions, type BatchResult } from "./create-positions-batch.ts";
export { countPositionsByStatus } from "./count-positions-by-status.ts";
export { createCounterPosition, counterPositionSchema, type CounterPositionInput } from "./create-counter-position.ts";
// Citizen portal: what a visitor may learn about a debtor's notice.
export { findDebtorPosition, isNoticeOfDebtor } from "./find-debtor-position.ts";
export { counterPlanIssues, type PlanIssue } from "./counter-plan.ts";
// REST API (council systems) use cases.
export { findPosition, type PositionLookup, type PositionRecord } from "./find-position.ts";
export { listPositions, POSITION_STATUSES, type PositionListQuery } from "./list-positions.ts";
export { updatePosition, type UpdatePositionInput } from "./update-position.ts";
export { markPositionPaid, type MarkPaidInput } from "./mark-position-paid.ts";
export { openOptionPages, type OpenOptionRow } from "./open-option-pages.ts";
export { readPositionSnapshot, type PositionSnapshot } from "./read-position-snapshot.ts";
