import type { Database } from "../platform/db/database.ts";
import { AppError } from "../platform/errors.ts";

/**
 * How long a receipt waits before the feed shows it. `received_at` is set when its transaction
 * starts; a receipt whose transaction commits later than a newer one would otherwise land behind
 * a cursor a client already holds and never be seen. Receipt transactions are bounded well
 * under this (positions/bounded-tx.ts), so past it every earlier receipt has committed.
 */
export const FEED_SETTLE_MS = 10_000;

export const receiptFeedSelect = {
  id: true,
  receiptId: true,
  nav: true,
  iuv: true,
  outcome: true,
  amountCents: true,
  feeCents: true,
  pspId: true,
  pspName: true,
  pspFiscalCode: true,
  channelId: true,
  paymentMethod: true,
  paymentDateTime: true,
  applicationDate: true,
  transferDate: true,
  standIn: true,
  payer: true,
  debtor: true,
  transfers: true,
  receivedAt: true,
  option: { select: { positionId: true, position: { select: { externalId: true, iupd: true } } } },
} as const;

const encode = (at: Date, id: string) => Buffer.from(`${at.toISOString()}|${id}`).toString("base64url");
function decode(cursor: string): { at: Date; id: string } {
  const [at, id] = Buffer.from(cursor, "base64url").toString().split("|");
  const date = new Date(at ?? "");
  if (!id || Number.isNaN(date.getTime()) || !/^[0-9a-f-]{36}$/i.test(id))
    throw new AppError("NOT_FOUND", "Cursore del flusso delle ricevute non riconosciuto", 404);
  return { at: date, id };
}

/**
 * "What was paid since my last call": a tenant's receipts in the order they arrived, after the
 * client's cursor, each exactly once across calls (ordered by arrival instant, then id).
 * Returns the cursor to send next time (the same one when nothing new arrived).
 */
export async function receiptsFeed(
  db: Database,
  tenantId: string,
  query: { after?: string; limit: number },
  now = new Date(),
) {
  const from = query.after ? decode(query.after) : null;
  const settled = new Date(now.getTime() - FEED_SETTLE_MS);
  const rows = await db.withTenant(tenantId, (tx) =>
    tx.receipt.findMany({
      where: {
        tenantId,
        receivedAt: { lt: settled },
        ...(from ? { OR: [{ receivedAt: { gt: from.at } }, { receivedAt: from.at, id: { gt: from.id } }] } : {}),
      },
      select: receiptFeedSelect,
      orderBy: [{ receivedAt: "asc" }, { id: "asc" }],
      take: query.limit,
    }),
  );
  const last = rows.at(-1);
  return { items: rows, next: last ? encode(last.receivedAt, last.id) : (query.after ?? null) };
}

/**
 * One receipt of the tenant by the Nodo's receiptId.
 * @throws AppError NOT_FOUND
 */
export async function getReceipt(db: Database, tenantId: string, receiptId: string) {
  const row = await db.withTenant(tenantId, (tx) =>
    tx.receipt.findFirst({ where: { tenantId, receiptId }, select: receiptFeedSelect }),
  );
  if (!row) throw new AppError("NOT_FOUND", "Ricevuta non trovata", 404);
  return row;
}
export type ReceiptRecord = Awaited<ReturnType<typeof getReceipt>>;
