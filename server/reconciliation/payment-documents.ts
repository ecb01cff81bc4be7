import type { Database } from "../platform/db/database.ts";
import { AppError } from "../platform/errors.ts";

/**
 * Every document PontePA holds about one payment (IUV), side by side: its classification, the
 * debt (option and position), the receipts, the reporting-flow rows naming it (superseded
 * revisions included and marked) and the treasury credits naming those flows.
 * @throws AppError NOT_FOUND when the council holds nothing under that IUV
 */
export async function paymentDocuments(db: Database, tenantId: string, iuv: string) {
  if (!/^[\w-]{1,35}$/.test(iuv)) throw new AppError("NOT_FOUND", "Pagamento non trovato", 404);
  return db.withTenant(tenantId, async (tx) => {
    const [classification, option, receipts, rows] = await Promise.all([
      tx.paymentClassification.findFirst({ where: { tenantId, subjectKind: "PAYMENT", subject: iuv } }),
      tx.paymentOption.findFirst({
        where: { tenantId, iuv },
        include: {
          position: {
            select: { id: true, iupd: true, subject: true, debtorName: true, debtorFiscalCode: true, status: true },
          },
          transfers: { orderBy: { index: "asc" } },
        },
      }),
      tx.receipt.findMany({ where: { tenantId, iuv }, orderBy: { receivedAt: "asc" } }),
      tx.reportingRow.findMany({ where: { tenantId, iuv }, include: { flow: true }, orderBy: { position: "asc" } }),
    ]);
    if (!classification && !option && receipts.length === 0 && rows.length === 0)
      throw new AppError("NOT_FOUND", "Pagamento non trovato", 404);
    const flowIds = [...new Set(rows.map((r) => r.flow.flowId))];
    const credits = flowIds.length
      ? await tx.treasuryCredit.findMany({
          where: { tenantId, flowId: { in: flowIds } },
          orderBy: { valueDate: "asc" },
        })
      : [];
    return {
      iuv,
      classification,
      option,
      receipts: receipts.map((r) => ({
        id: r.id,
        receiptId: r.receiptId,
        outcome: r.outcome,
        amountCents: r.amountCents,
        pspId: r.pspId,
        pspName: r.pspName,
        paymentDateTime: r.paymentDateTime,
        standIn: r.standIn,
      })),
      rows: rows.map((r) => ({
        flowId: r.flow.flowId,
        revision: r.flow.revision,
        superseded: r.flow.supersededAt !== null,
        pspId: r.flow.pspId,
        settlementDate: r.flow.settlementDate,
        iur: r.iur,
        transferIndex: r.transferIndex,
        amountCents: r.amountCents,
        outcomeCode: r.outcomeCode,
        matched: r.receiptRowId !== null,
      })),
      credits: credits.map((c) => ({
        id: c.id,
        valueDate: c.valueDate,
        amountCents: c.amountCents,
        description: c.description,
        flowId: c.flowId,
        status: c.status,
        manual: c.manualMatch !== null,
      })),
    };
  });
}
