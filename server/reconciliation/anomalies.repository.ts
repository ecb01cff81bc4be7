import type { Prisma } from "../generated/prisma/client.ts";
import type { Tx } from "../platform/db/database.ts";

/** What reconciliation records for a person to look at (the Italian labels are in web/backoffice). */
export const ANOMALY_KINDS = [
  /** A flow row whose IUV and IUR match no receipt of the council. */
  "ROW_WITHOUT_RECEIPT",
  /** A receipt matches the row's IUV and IUR but not its transfer index and amount. */
  "AMOUNT_DIFFERS",
  /** A paid receipt no flow has reported after RECONCILIATION_UNREPORTED_DAYS. */
  "RECEIPT_NOT_REPORTED",
  /** A row with outcome 3 (revoked), 4 (Stand-In), 8 (Stand-In without RPT) or 9 (without RPT). */
  "OUTCOME_TO_CHECK",
  /** The flow's declared count or total differs from its rows (the rows are trusted). */
  "FLOW_TOTALS_DIFFER",
  /** A receipt the Nodo never delivered and pagoPA's biz-events archive did not give either (receipt-recovery). */
  "RECEIPT_NOT_RECOVERED",
] as const;
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];

export interface NewAnomaly {
  kind: AnomalyKind;
  subject: string;
  flowId?: string | null;
  iuv?: string | null;
  receiptId?: string | null;
  details?: Record<string, unknown>;
}

/** Records anomalies; one found again (same kind and subject) stays one row and is reopened. */
export async function recordAnomalies(tx: Tx, tenantId: string, anomalies: NewAnomaly[]): Promise<void> {
  for (const a of anomalies) {
    const data = {
      flowId: a.flowId ?? null,
      iuv: a.iuv ?? null,
      receiptId: a.receiptId ?? null,
      details: (a.details ?? {}) as Prisma.InputJsonValue,
    };
    await tx.reconciliationAnomaly.upsert({
      where: { tenantId_kind_subject: { tenantId, kind: a.kind, subject: a.subject } },
      create: { tenantId, kind: a.kind, subject: a.subject, ...data },
      update: { ...data, resolvedAt: null },
    });
  }
}

/** Closes the open anomalies of the given kinds whose subject is one of `subjects`. */
export async function resolveAnomalies(tx: Tx, tenantId: string, kinds: AnomalyKind[], subjects: string[]) {
  if (subjects.length === 0) return 0;
  const { count } = await tx.reconciliationAnomaly.updateMany({
    where: { tenantId, kind: { in: kinds }, subject: { in: subjects }, resolvedAt: null },
    data: { resolvedAt: new Date() },
  });
  return count;
}

/** The subject of a row anomaly: the flow's identity and the row's position in it. */
export const rowSubject = (f: { pspId: string; flowId: string; revision: number }, position: number) =>
  `${f.pspId}/${f.flowId}/r${f.revision}/${position}`;
