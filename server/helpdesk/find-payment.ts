import { z } from "zod";
import type { Database } from "../platform/db/database.ts";
import { journalOfNotices } from "../nodo/journal/index.ts";
import { recordAudit, type Actor } from "../audit/index.ts";
import { isValidFiscalCode } from "../pagopa/index.ts";
import { importUploadOf } from "../positions/index.ts";

export const paymentQuerySchema = z
  .object({
    nav: z
      .string()
      .trim()
      .regex(/^\d{18}$/, "il codice avviso ha 18 cifre")
      .optional(),
    iuv: z.string().trim().min(1).max(35).optional(),
    receiptId: z.string().trim().min(1).max(35).optional(),
    fiscalCode: z.string().trim().toUpperCase().refine(isValidFiscalCode, "codice fiscale non valido").optional(),
  })
  .refine(
    (q) => [q.nav, q.iuv, q.receiptId, q.fiscalCode].filter(Boolean).length === 1,
    "cerca per uno tra codice avviso, IUV, identificativo ricevuta e codice fiscale",
  );

export type PaymentQuery = z.input<typeof paymentQuerySchema>;

/** Everything the helpdesk needs to answer "what happened to this payment?", per position. */
export interface PaymentTrace {
  tenant: { id: string; name: string; ipaCode: string; status: string };
  position: {
    id: string;
    iupd: string;
    subject: string;
    status: string;
    debtorFiscalCode: string;
    debtorName: string;
    createdAt: Date;
  };
  options: Array<{
    nav: string;
    iuv: string;
    kind: string;
    status: string;
    amountCents: number;
    dueDate: Date;
    lockedUntil: Date | null;
  }>;
  receipts: Array<{
    receiptId: string;
    nav: string;
    outcome: string;
    amountCents: number;
    pspId: string;
    pspName: string | null;
    paymentDateTime: Date | null;
    standIn: boolean;
    receivedAt: Date;
  }>;
  /** The Nodo messages of the position's notices, newest first. */
  journal: Array<{
    id: string;
    createdAt: Date;
    direction: string;
    operation: string;
    nav: string | null;
    outcome: string | null;
    faultCode: string | null;
    durationMs: number | null;
  }>;
  /** Changes to the position (audit log) and its payments (receipts received), oldest first. */
  timeline: TimelineEvent[];
}

/** One event of a position's history: a change from the audit log, or a payment (a receipt received). */
export type TimelineEvent =
  | { at: Date; action: string; actorType: string; actorId: string; payment?: undefined }
  | {
      at: Date;
      action: "payment.received";
      payment: { receiptId: string; nav: string; outcome: string; amountCents: number; psp: string };
    };

const MAX_POSITIONS = 20;

/**
 * The regional helpdesk's cross-tenant search: by NAV, IUV, receiptId or the debtor's fiscal
 * code, across every council, with options, receipts, the Nodo journal and the position's
 * timeline. A legitimate cross-tenant read, so it runs in platform scope with a named reason,
 * and each position shown is written to the audit log (who looked at which council's data).
 */
export async function findPayment(
  db: Database,
  query: PaymentQuery,
  actor: Actor,
  requestId?: string,
): Promise<PaymentTrace[]> {
  const q = paymentQuerySchema.parse(query);
  return db.withPlatformScope("helpdesk: cross-tenant payment search", async (tx) => {
    const where = q.fiscalCode
      ? { debtorFiscalCode: q.fiscalCode }
      : q.receiptId
        ? { options: { some: { receipts: { some: { receiptId: q.receiptId } } } } }
        : { options: { some: q.nav ? { nav: q.nav } : { iuv: q.iuv } } };
    const positions = await tx.debtPosition.findMany({
      where,
      orderBy: { createdAt: "desc" },
      take: MAX_POSITIONS,
      include: {
        tenant: { select: { id: true, name: true, ipaCode: true, status: true } },
        options: {
          orderBy: [{ kind: "asc" }, { installmentNumber: "asc" }],
          include: { receipts: { orderBy: { receivedAt: "asc" } } },
        },
      },
    });
    const traces: PaymentTrace[] = [];
    for (const p of positions) {
      const navs = p.options.map((o) => o.nav);
      const [journal, timeline] = await Promise.all([
        journalOfNotices(tx, p.tenantId, navs),
        tx.auditLog.findMany({
          where: { tenantId: p.tenantId, OR: [{ entityId: p.id }, ...importUploadOf(p.data)] },
          orderBy: { at: "asc" },
          take: 100,
        }),
      ]);
      await recordAudit(tx, {
        tenantId: p.tenantId,
        actor,
        action: "helpdesk.read",
        entityType: "DebtPosition",
        entityId: p.id,
        after: { query: q },
        requestId,
      });
      traces.push({
        tenant: p.tenant,
        position: {
          id: p.id,
          iupd: p.iupd,
          subject: p.subject,
          status: p.status,
          debtorFiscalCode: p.debtorFiscalCode,
          debtorName: p.debtorName,
          createdAt: p.createdAt,
        },
        options: p.options.map((o) => ({
          nav: o.nav,
          iuv: o.iuv,
          kind: o.kind,
          status: o.status,
          amountCents: o.amountCents,
          dueDate: o.dueDate,
          lockedUntil: o.lockedUntil,
        })),
        receipts: p.options.flatMap((o) =>
          o.receipts.map((r) => ({
            receiptId: r.receiptId,
            nav: r.nav,
            outcome: r.outcome,
            amountCents: r.amountCents,
            pspId: r.pspId,
            pspName: r.pspName,
            paymentDateTime: r.paymentDateTime,
            standIn: r.standIn,
            receivedAt: r.receivedAt,
          })),
        ),
        journal: journal.map((m) => ({
          id: m.id,
          createdAt: m.createdAt,
          direction: m.direction,
          operation: m.operation,
          nav: m.nav,
          outcome: m.outcome,
          faultCode: m.faultCode,
          durationMs: m.durationMs,
        })),
        timeline: [
          ...timeline.map((e) => ({ at: e.at, action: e.action, actorType: e.actorType, actorId: e.actorId })),
          ...p.options.flatMap((o) =>
            o.receipts.map((r) => ({
              at: r.receivedAt,
              action: "payment.received" as const,
              payment: {
                receiptId: r.receiptId,
                nav: r.nav,
                outcome: r.outcome,
                amountCents: r.amountCents,
                psp: r.pspName ?? r.pspId,
              },
            })),
          ),
        ].sort((a, b) => a.at.getTime() - b.at.getTime()),
      });
    }
    return traces;
  });
}
