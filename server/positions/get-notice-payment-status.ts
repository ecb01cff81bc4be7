import type { Database } from "../platform/db/database.ts";

export interface NoticePaymentStatus {
  nav: string;
  status: "UNPAID" | "PAID" | "EXPIRED" | "CANCELLED" | "REPORTED" | "UNKNOWN";
  /** True while a PSP holds the notice (activation lock not yet expired). */
  inProgress: boolean;
  receipt?: { receiptId: string; accessToken: string; paymentDateTime: Date | null; pspName: string | null };
}

/** Where the payment of one notice stands, for the citizen's result page (read only). */
export async function getNoticePaymentStatus(
  db: Database,
  tenantId: string,
  nav: string,
  now = new Date(),
): Promise<NoticePaymentStatus> {
  return db.withTenant(tenantId, async (tx) => {
    const option = await tx.paymentOption.findUnique({
      where: { tenantId_nav: { tenantId, nav } },
      include: { receipts: { orderBy: { receivedAt: "desc" }, take: 1 } },
    });
    if (!option) return { nav, status: "UNKNOWN", inProgress: false };
    const receipt = option.receipts[0];
    return {
      nav,
      status: option.status,
      inProgress: option.status === "UNPAID" && !!option.lockedUntil && option.lockedUntil > now,
      receipt: receipt
        ? {
            receiptId: receipt.receiptId,
            accessToken: receipt.accessToken,
            paymentDateTime: receipt.paymentDateTime,
            pspName: receipt.pspName,
          }
        : undefined,
    };
  });
}
