import type { Tx } from "../platform/db/database.ts";
import type { AnomalyKind } from "../reconciliation/index.ts";

const KIND: AnomalyKind = "RECEIPT_NOT_RECOVERED";

/** A receipt pagoPA's archive did not give after every attempt: a reconciliation anomaly for a person. */
export async function recordRecoveryAnomaly(
  tx: Tx,
  tenantId: string,
  recovery: { iuv: string; iur: string },
  attempts: number,
  lastError: string,
) {
  const subject = `${recovery.iuv}/${recovery.iur}`;
  const data = {
    iuv: recovery.iuv,
    receiptId: recovery.iur,
    details: { attempts, lastError },
  };
  await tx.reconciliationAnomaly.upsert({
    where: { tenantId_kind_subject: { tenantId, kind: KIND, subject } },
    create: { tenantId, kind: KIND, subject, ...data },
    update: { ...data, resolvedAt: null },
  });
}
