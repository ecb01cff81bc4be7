import { randomBytes } from "node:crypto";
import type { Database } from "../platform/db/database.ts";
import type { Call, FastTx } from "../platform/db/fast-sql.ts";
import { AppError } from "../platform/errors.ts";
import { DEFAULT_NODO_TX_MS, withBoundedFastTx } from "./bounded-tx.ts";
import {
  findNoticeCall,
  lockPositionOfNoticeCall,
  noticeFromRows,
  type NoticeRecord,
} from "./payable-notice.repository.ts";
import { paymentCalls, releaseLockCall } from "./payment.repository.ts";
import { insertReceipt, type NewReceipt } from "../receipts/receipt.repository.ts";
import { auditCall } from "../audit/index.ts";
import { outboxCall } from "../outbox/index.ts";
import { noticeStateError } from "./notice-state.ts";
import type { PayableNoticeTenant } from "./payable-notice.ts";
import type { ReceiptRegisteredEvent } from "./receipt-registered.event.ts";
import type { NodoCallOptions } from "./verify-payment-notice.ts";

/**
 * A receipt to register: the row the receipts repository stores (its fields are defined there
 * once, so what is registered and what is inserted cannot drift) plus what applying it needs.
 */
export interface ReceiptInput extends NewReceipt {
  /** Fiscal code of the council that issued the notice (the receipt's `fiscalCode`). */
  noticeFiscalCode: string;
  transfers: Array<{
    index: number;
    amountCents: number;
    fiscalCodePA: string;
    iban: string | null;
    /** Base64 receipt of a digital stamp (@e.bollo) paid with this transfer. */
    mbdAttachment?: string | null;
    remittanceText: string;
    category: string;
  }>;
}

export interface RegisteredReceipt {
  id: string;
  receiptId: string;
  accessToken: string;
  optionId: string | null;
  /** The position's status after the receipt (null for a secondary beneficiary's copy). */
  positionStatus: string | null;
  /** The option had already been paid by another receipt: a double payment to refund. */
  doublePayment: boolean;
}

/** Queues the follow-ups of a stored receipt; must be idempotent per tenant + receiptId. */
export type ReceiptFollowUps = (event: ReceiptRegisteredEvent) => Promise<void>;

/**
 * Stores a receipt (paSendRT / paSendRTV2) exactly once and applies it to the option, its
 * transfers and the position in the same transaction. Exactly-once rests on the unique index
 * (tenant_id, receipt_id) with ON CONFLICT DO NOTHING, under the position's row lock: a
 * concurrent duplicate waits for the first to commit and then finds the row, never a gap.
 * A positive receipt always marks the option paid, even when its lock expired, it was
 * cancelled or expired meanwhile, or it came through Stand-In: the money was taken. A receipt
 * whose notice belongs to another council (we are a secondary beneficiary) is stored as a copy
 * without touching any option. The follow-ups are queued after commit, and again on every
 * redelivery, so a lost enqueue heals when the Nodo retries.
 * @throws AppError NOTICE_UNKNOWN | RECEIPT_DUPLICATE | RECEIPT_FOLLOW_UP_FAILED
 */
export async function registerReceipt(
  db: Database,
  tenant: PayableNoticeTenant,
  input: ReceiptInput,
  followUps: ReceiptFollowUps,
  options: NodoCallOptions & { requestId?: string } = {},
): Promise<RegisteredReceipt> {
  const now = options.now ?? new Date();
  let stored: RegisteredReceipt | null = null;
  const event: ReceiptRegisteredEvent = {
    tenantId: tenant.id,
    receiptId: input.receiptId,
    optionId: null,
    outcome: input.outcome,
    standIn: input.standIn,
  };
  try {
    stored = await withBoundedFastTx(db, tenant.id, options.timeoutMs ?? DEFAULT_NODO_TX_MS, (tx) =>
      storeReceipt(tx, tenant, input, now, options.requestId),
    );
    event.optionId = stored.optionId;
  } catch (err) {
    if (!(err instanceof AppError && err.code === "RECEIPT_DUPLICATE")) throw err;
    await queue(followUps, { ...event, optionId: (err.details?.optionId as string | null) ?? null });
    throw err;
  }
  await queue(followUps, event);
  return stored;
}

async function queue(followUps: ReceiptFollowUps, event: ReceiptRegisteredEvent) {
  try {
    await followUps(event);
  } catch (err) {
    throw new AppError(
      "RECEIPT_FOLLOW_UP_FAILED",
      `Receipt stored but its follow-ups were not queued: ${(err as Error).message}`,
      503,
    );
  }
}

/**
 * Three round trips on the station's pg path: BEGIN, the RLS settings, the position's row lock
 * and the notice read; the receipt's INSERT … ON CONFLICT DO NOTHING; then the option, transfer
 * and position updates with the audit entry and COMMIT.
 */
async function storeReceipt(
  tx: FastTx,
  tenant: PayableNoticeTenant,
  input: ReceiptInput,
  now: Date,
  requestId?: string,
): Promise<RegisteredReceipt> {
  const primary = input.noticeFiscalCode === tenant.fiscalCode;
  let notice: NoticeRecord | null = null;
  if (primary) {
    const [locked, read] = await tx.batch([
      lockPositionOfNoticeCall(tenant.id, input.nav),
      findNoticeCall(tenant.id, input.nav),
    ]);
    if (!locked!.length) throw noticeStateError("UNKNOWN");
    notice = noticeFromRows(read);
    if (!notice) throw noticeStateError("UNKNOWN");
  }
  const accessToken = randomBytes(32).toString("base64url");
  const id = await insertReceipt(tx, tenant.id, notice?.id ?? null, input, accessToken);
  if (!id) {
    throw new AppError("RECEIPT_DUPLICATE", `Receipt ${input.receiptId} is already stored`, 409, {
      optionId: notice?.id ?? null,
    });
  }

  const before = notice ? { option: notice.status, position: notice.position.status } : null;
  const settled = (s: string) => s === "PAID" || s === "REPORTED";
  const doublePayment = Boolean(
    notice && input.outcome === "OK" && (settled(notice.status) || settled(notice.position.status)),
  );
  let positionStatus: string | null = notice?.position.status ?? null;
  const calls: Call[] = [];
  if (notice && input.outcome === "OK" && !doublePayment) {
    const payment = paymentCalls(tenant.id, notice, input, now);
    calls.push(...payment.calls);
    positionStatus = payment.status;
    calls.push(
      outboxCall({
        tenantId: tenant.id,
        type: payment.status === "PAID" ? "position.paid" : "position.partially_paid",
        positionId: notice.position.id,
        at: now,
        data: {
          positionId: notice.position.id,
          iupd: notice.position.iupd,
          externalId: notice.position.externalId,
          status: payment.status,
          nav: input.nav,
          receiptId: input.receiptId,
        },
      }),
    );
  } else if (notice && notice.paymentToken === input.receiptId) {
    calls.push(releaseLockCall(tenant.id, notice.id));
  }
  // Committed with the receipt: a council system hears of every stored receipt, once stored.
  calls.push(
    outboxCall({
      tenantId: tenant.id,
      type: "receipt.stored",
      positionId: notice?.position.id ?? null,
      at: now,
      data: {
        receiptId: input.receiptId,
        nav: input.nav,
        iuv: input.creditorReferenceId,
        outcome: input.outcome,
        amountCents: input.amountCents,
        feeCents: input.feeCents ?? null,
        pspId: input.pspId,
        paymentDateTime: input.paymentDateTime?.toISOString() ?? null,
        standIn: input.standIn,
        positionId: notice?.position.id ?? null,
        externalId: notice?.position.externalId ?? null,
        doublePayment,
        primary,
      },
    }),
  );
  calls.push(
    auditCall({
      tenantId: tenant.id,
      actor: { type: "nodo", id: input.pspId },
      action: "receipt.register",
      entityType: "Receipt",
      entityId: id,
      before,
      after: {
        receiptId: input.receiptId,
        nav: input.nav,
        outcome: input.outcome,
        amountCents: input.amountCents,
        standIn: input.standIn,
        positionStatus,
        doublePayment,
        primary,
      },
      requestId,
    }),
  );
  await tx.batch(calls, { commit: true });
  return { id, receiptId: input.receiptId, accessToken, optionId: notice?.id ?? null, positionStatus, doublePayment };
}
