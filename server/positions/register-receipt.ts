import { randomBytes } from "node:crypto";
import type { Database, Tx } from "../platform/db/database.ts";
import { AppError } from "../platform/errors.ts";
import { recordAudit } from "../audit/index.ts";
import { DEFAULT_NODO_TX_MS, withBoundedTenantTx } from "./bounded-tx.ts";
import { findNotice, lockPositionOfNotice, type NoticeRecord } from "./notice.repository.ts";
import { noticeStateError } from "./notice-state.ts";
import type { NoticeTenant } from "./notice-view.ts";
import type { ReceiptRegisteredEvent } from "./receipt-registered.job.ts";
import type { NodoCallOptions } from "./verify-payment-notice.ts";

export interface ReceiptInput {
  receiptId: string;
  nav: string;
  /** Fiscal code of the council that issued the notice (the receipt's `fiscalCode`). */
  noticeFiscalCode: string;
  outcome: "OK" | "KO";
  creditorReferenceId: string;
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
  tenant: NoticeTenant,
  input: ReceiptInput,
  followUps: ReceiptFollowUps,
  options: NodoCallOptions & { requestId?: string } = {},
): Promise<RegisteredReceipt> {
  const now = options.now ?? new Date();
  let stored: RegisteredReceipt | null = null;
  const event: ReceiptRegisteredEvent = { tenantId: tenant.id, receiptId: input.receiptId, optionId: null, outcome: input.outcome, standIn: input.standIn };
  try {
    stored = await withBoundedTenantTx(db, tenant.id, options.timeoutMs ?? DEFAULT_NODO_TX_MS, (tx) =>
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
    throw new AppError("RECEIPT_FOLLOW_UP_FAILED", `Receipt stored but its follow-ups were not queued: ${(err as Error).message}`, 503);
  }
}

async function storeReceipt(tx: Tx, tenant: NoticeTenant, input: ReceiptInput, now: Date, requestId?: string): Promise<RegisteredReceipt> {
  const primary = input.noticeFiscalCode === tenant.fiscalCode;
  let notice: NoticeRecord | null = null;
  if (primary) {
    if (!(await lockPositionOfNotice(tx, tenant.id, input.nav))) throw noticeStateError("UNKNOWN");
    notice = await findNotice(tx, tenant.id, input.nav);
    if (!notice) throw noticeStateError("UNKNOWN");
  }
  const accessToken = randomBytes(32).toString("base64url");
  const [row] = await tx.receipt.createManyAndReturn({
    data: [
      {
        tenantId: tenant.id,
        optionId: notice?.id ?? null,
        receiptId: input.receiptId,
        nav: input.nav,
        iuv: input.creditorReferenceId,
        outcome: input.outcome,
        amountCents: input.amountCents,
        feeCents: input.feeCents ?? null,
        pspId: input.pspId,
        pspName: input.pspName ?? null,
        pspFiscalCode: input.pspFiscalCode ?? null,
        channelId: input.channelId ?? null,
        paymentMethod: input.paymentMethod ?? null,
        paymentDateTime: input.paymentDateTime ?? null,
        applicationDate: input.applicationDate ?? null,
        transferDate: input.transferDate ?? null,
        standIn: input.standIn,
        payer: input.payer ?? undefined,
        debtor: input.debtor ?? undefined,
        transfers: input.transfers,
        accessToken,
      },
    ],
    skipDuplicates: true,
    select: { id: true },
  });
  if (!row) {
    throw new AppError("RECEIPT_DUPLICATE", `Receipt ${input.receiptId} is already stored`, 409, { optionId: notice?.id ?? null });
  }

  const before = notice ? { option: notice.status, position: notice.position.status } : null;
  const settled = (s: string) => s === "PAID" || s === "REPORTED";
  const doublePayment = Boolean(notice && input.outcome === "OK" && (settled(notice.status) || settled(notice.position.status)));
  let positionStatus: string | null = notice?.position.status ?? null;
  if (notice && input.outcome === "OK" && !doublePayment) {
    positionStatus = await applyPayment(tx, tenant.id, notice, input, now);
  } else if (notice && notice.paymentToken === input.receiptId) {
    await tx.paymentOption.update({ where: { id: notice.id }, data: { paymentToken: null, lockedUntil: null } });
  }

  await recordAudit(tx, {
    tenantId: tenant.id,
    actor: { type: "nodo", id: input.pspId },
    action: "receipt.register",
    entityType: "Receipt",
    entityId: row.id,
    before,
    after: { receiptId: input.receiptId, nav: input.nav, outcome: input.outcome, amountCents: input.amountCents, standIn: input.standIn, positionStatus, doublePayment, primary },
    requestId,
  });
  return { id: row.id, receiptId: input.receiptId, accessToken, optionId: notice?.id ?? null, positionStatus, doublePayment };
}

async function applyPayment(tx: Tx, tenantId: string, notice: NoticeRecord, input: ReceiptInput, now: Date): Promise<string> {
  const paidAt = input.paymentDateTime ?? now;
  await tx.paymentOption.update({
    where: { id: notice.id },
    data: { status: "PAID", paidAt, paymentToken: null, lockedUntil: null },
  });
  for (const t of input.transfers) {
    await tx.transfer.updateMany({ where: { tenantId, optionId: notice.id, index: t.index }, data: { paidCents: t.amountCents } });
  }
  const siblings = notice.position.options.filter((o) => o.kind === notice.kind && o.id !== notice.id);
  const allPaid = notice.kind === "SINGLE" || siblings.every((o) => o.status === "PAID" || o.status === "REPORTED");
  const status = allPaid ? "PAID" : "PARTIALLY_PAID";
  await tx.debtPosition.update({
    where: { id: notice.position.id },
    data: { status, paidAt: allPaid ? paidAt : null },
  });
  return status;
}
