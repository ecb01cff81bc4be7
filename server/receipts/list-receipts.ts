import { z } from "zod";
import type { Database } from "../platform/db/database.ts";

const blank = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

export const receiptSearchSchema = z.object({
  /** Received from / to, calendar days. */
  from: z.preprocess(blank, z.coerce.date().optional()),
  to: z.preprocess(blank, z.coerce.date().optional()),
  outcome: z.preprocess(blank, z.enum(["OK", "KO"]).optional()),
  page: z.preprocess(blank, z.coerce.number().int().min(1).max(10_000).default(1)),
});
export type ReceiptSearch = z.input<typeof receiptSearchSchema>;

export const RECEIPTS_PAGE_SIZE = 25;
const DAY_MS = 86_400_000;

/**
 * The council's incoming payments, newest first, with the position each one paid and the
 * period's count and total (positive outcomes only): how operators "follow payments" without
 * waiting for the treasury's reconciliation.
 */
export async function listReceipts(db: Database, tenantId: string, query: ReceiptSearch) {
  const q = receiptSearchSchema.parse(query);
  const where = {
    tenantId,
    ...(q.outcome ? { outcome: q.outcome } : {}),
    ...(q.from || q.to ? { receivedAt: { ...(q.from ? { gte: q.from } : {}), ...(q.to ? { lt: new Date(q.to.getTime() + DAY_MS) } : {}) } } : {}),
  };
  return db.withTenant(tenantId, async (tx) => {
    const [rows, total, sum] = await Promise.all([
      tx.receipt.findMany({
        where,
        orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
        skip: (q.page - 1) * RECEIPTS_PAGE_SIZE,
        take: RECEIPTS_PAGE_SIZE,
        select: {
          receiptId: true, nav: true, outcome: true, amountCents: true, feeCents: true, pspId: true, pspName: true, paymentMethod: true,
          paymentDateTime: true, receivedAt: true, standIn: true,
          option: { select: { position: { select: { id: true, subject: true, debtorName: true, debtorFiscalCode: true } } } },
        },
      }),
      tx.receipt.count({ where }),
      tx.receipt.aggregate({ where: { ...where, outcome: "OK" }, _sum: { amountCents: true }, _count: { _all: true } }),
    ]);
    return {
      rows: rows.map(({ option, ...r }) => ({ ...r, position: option?.position ?? null })),
      total,
      paidCount: sum._count._all,
      paidCents: sum._sum.amountCents ?? 0,
      page: q.page,
      pages: Math.max(1, Math.ceil(total / RECEIPTS_PAGE_SIZE)),
    };
  });
}
