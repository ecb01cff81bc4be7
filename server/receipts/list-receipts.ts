import { z } from "zod";
import type { Database } from "../platform/db/database.ts";
import { endOfRomeDay, startOfRomeDay } from "../pagopa/index.ts";
import { presentFee } from "./fee-presentation.ts";
import { paymentMethodLabel } from "./payment-method.ts";

const blank = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((d) => {
    try {
      return endOfRomeDay(d) instanceof Date;
    } catch {
      return false;
    }
  }, "data non valida");

export const receiptSearchSchema = z.object({
  /** Received from / to, calendar days in Italy (YYYY-MM-DD, as a date input sends them). */
  from: z.preprocess(blank, isoDay.optional()),
  to: z.preprocess(blank, isoDay.optional()),
  outcome: z.preprocess(blank, z.enum(["OK", "KO"]).optional()),
  page: z.preprocess(blank, z.coerce.number().int().min(1).max(10_000).default(1)),
});
export type ReceiptSearch = z.input<typeof receiptSearchSchema>;

export const RECEIPTS_PAGE_SIZE = 25;

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
    // Days are Rome days: "dal 2 dicembre" starts at midnight in Italy, 23:00 UTC the day before.
    ...(q.from || q.to
      ? {
          receivedAt: {
            ...(q.from ? { gte: startOfRomeDay(q.from) } : {}),
            ...(q.to ? { lte: endOfRomeDay(q.to) } : {}),
          },
        }
      : {}),
  };
  return db.withTenant(tenantId, async (tx) => {
    const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { fiscalCode: true } });
    const [rows, total, sum] = await Promise.all([
      tx.receipt.findMany({
        where,
        orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
        skip: (q.page - 1) * RECEIPTS_PAGE_SIZE,
        take: RECEIPTS_PAGE_SIZE,
        select: {
          receiptId: true,
          nav: true,
          outcome: true,
          amountCents: true,
          feeCents: true,
          pspId: true,
          pspName: true,
          paymentMethod: true,
          paymentDateTime: true,
          receivedAt: true,
          standIn: true,
          cart: true,
          option: {
            select: { position: { select: { id: true, subject: true, debtorName: true, debtorFiscalCode: true } } },
          },
        },
      }),
      tx.receipt.count({ where }),
      tx.receipt.aggregate({ where: { ...where, outcome: "OK" }, _sum: { amountCents: true }, _count: { _all: true } }),
    ]);
    return {
      rows: rows.map(({ option, cart, ...r }) => {
        const fee = presentFee({ ...r, cart }, tenant.fiscalCode);
        // A cart's one fee is counted on its first notice only, as on the receipts.
        return {
          ...r,
          feeCents: fee.feeCents,
          feeElsewhere: r.feeCents !== null && r.feeCents > 0 && fee.feeCents === null,
          paymentMethod: paymentMethodLabel(r.paymentMethod),
          position: option?.position ?? null,
        };
      }),
      total,
      paidCount: sum._count._all,
      paidCents: sum._sum.amountCents ?? 0,
      page: q.page,
      pages: Math.max(1, Math.ceil(total / RECEIPTS_PAGE_SIZE)),
    };
  });
}
