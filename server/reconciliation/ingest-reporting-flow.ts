import type { Database, Tx } from "../platform/db/database.ts";
import { AppError } from "../platform/errors.ts";
import type { Logger } from "../platform/observability/logger.ts";
import { recordAnomalies, resolveAnomalies, rowSubject, type NewAnomaly } from "./anomalies.repository.ts";
import { classifyPayments } from "./classify-payments.ts";
import { linkRowsToReceipts, unmatchedRows, updateReportedStatus } from "./match-reporting-rows.ts";
import type { ReportingFlowData } from "./reporting-document.ts";

export interface ReconciliationTenant {
  id: string;
  fiscalCode: string;
}

export type IngestOutcome =
  | { status: "duplicate"; flowRecordId: string }
  | { status: "stored"; flowRecordId: string; superseded: boolean; matched: number; anomalies: number };

const newer = (a: { revision: number; flowDate: Date }, b: { revision: number; flowDate: Date }) =>
  a.revision !== b.revision ? a.revision > b.revision : a.flowDate.getTime() > b.flowDate.getTime();

/**
 * Stores a reporting flow for the council it is addressed to and reconciles it: the same flow
 * again is recognised and left alone; a newer revision supersedes the current one (an older one
 * arriving late is kept, already superseded); rows are matched to receipts, options and
 * positions become REPORTED, and what does not square becomes an anomaly.
 * @throws AppError REPORTING_FLOW_INVALID when the flow is addressed to another creditor
 */
export async function ingestReportingFlow(
  db: Database,
  tenant: ReconciliationTenant,
  flow: ReportingFlowData,
  logger?: Logger,
): Promise<IngestOutcome> {
  if (flow.receiverFiscalCode !== tenant.fiscalCode)
    throw new AppError(
      "REPORTING_FLOW_INVALID",
      `Flow ${flow.flowId} is addressed to ${flow.receiverFiscalCode}, not to this council`,
      422,
    );
  const outcome = await db.withTenant(tenant.id, (tx) => store(tx, tenant, flow), { timeout: 60_000 });
  logger?.info(
    { flowId: flow.flowId, pspId: flow.pspId, revision: flow.revision, ...outcome },
    "reporting flow ingested",
  );
  return outcome;
}

async function store(tx: Tx, tenant: ReconciliationTenant, flow: ReportingFlowData): Promise<IngestOutcome> {
  // One ingest of a flow at a time (two workers fetching the same flow): an advisory lock per flow.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`${tenant.id}/${flow.pspId}/${flow.flowId}`}))`;
  const same = await tx.reportingFlow.findFirst({
    where: {
      tenantId: tenant.id,
      pspId: flow.pspId,
      flowId: flow.flowId,
      revision: flow.revision,
      flowDate: flow.flowDate,
    },
    select: { id: true },
  });
  if (same) return { status: "duplicate", flowRecordId: same.id };

  const current = await tx.reportingFlow.findMany({
    where: { tenantId: tenant.id, pspId: flow.pspId, flowId: flow.flowId, supersededAt: null },
    select: { id: true, revision: true, flowDate: true, settlementId: true, rowsCount: true, rowsTotalCents: true },
  });
  // The same flow fetched through the other API (FdR 1 and FdR 3 date it differently) is
  // still the same flow: same revision, settlement and rows.
  const total = flow.rows.reduce((s, r) => s + r.amountCents, 0);
  const twin = current.find(
    (c) =>
      c.revision === flow.revision &&
      c.settlementId === flow.settlementId &&
      c.rowsCount === flow.rows.length &&
      c.rowsTotalCents === total,
  );
  if (twin) return { status: "duplicate", flowRecordId: twin.id };
  const lateOlder = current.some((c) => newer(c, flow));
  const now = new Date();
  const replaced = lateOlder ? [] : current.map((c) => c.id);
  if (replaced.length)
    await tx.reportingFlow.updateMany({ where: { id: { in: replaced } }, data: { supersededAt: now } });

  const record = await tx.reportingFlow.create({
    data: {
      tenantId: tenant.id,
      flowId: flow.flowId,
      pspId: flow.pspId,
      revision: flow.revision,
      flowDate: flow.flowDate,
      format: flow.format,
      settlementId: flow.settlementId,
      settlementDate: new Date(`${flow.settlementDate}T00:00:00Z`),
      declaredCount: flow.declaredCount,
      declaredTotalCents: flow.declaredTotalCents,
      rowsCount: flow.rows.length,
      rowsTotalCents: total,
      supersededAt: lateOlder ? now : null,
    },
    select: { id: true },
  });
  await tx.reportingRow.createMany({
    data: flow.rows.map((r) => ({
      tenantId: tenant.id,
      flowRecordId: record.id,
      position: r.position,
      iuv: r.iuv,
      iur: r.iur,
      transferIndex: r.transferIndex,
      amountCents: r.amountCents,
      outcomeCode: r.outcomeCode,
      outcomeDate: new Date(`${r.outcomeDate}T00:00:00Z`),
    })),
  });
  if (lateOlder) return { status: "stored", flowRecordId: record.id, superseded: true, matched: 0, anomalies: 0 };

  // The superseded revision's findings no longer stand; its receipts are looked at again below.
  if (replaced.length)
    await tx.$executeRaw`
      UPDATE reconciliation_anomalies SET resolved_at = ${now}
      WHERE tenant_id = ${tenant.id}::uuid AND resolved_at IS NULL AND details->>'flowRecordId' = ANY(${replaced})`;
  const matched = (await linkRowsToReceipts(tx, tenant.id, [record.id])).length;
  const anomalies = await findingsOf(tx, tenant.id, flow, record.id);
  await recordAnomalies(tx, tenant.id, anomalies);

  const touched = await tx.reportingRow.findMany({
    where: { tenantId: tenant.id, flowRecordId: { in: [record.id, ...replaced] }, receiptRowId: { not: null } },
    select: { receiptRowId: true },
  });
  const receiptRowIds = [...new Set(touched.map((t) => t.receiptRowId!))];
  await updateReportedStatus(tx, tenant, receiptRowIds);
  // Only receipts this flow reports close their "not reported" flag (a replaced revision's may not).
  const reportedNow = touched.length
    ? await tx.reportingRow.findMany({
        where: { tenantId: tenant.id, flowRecordId: record.id, receiptRowId: { not: null } },
        select: { receiptRowId: true },
      })
    : [];
  const receiptIds = await tx.receipt.findMany({
    where: { id: { in: reportedNow.map((r) => r.receiptRowId!) } },
    select: { receiptId: true },
  });
  await resolveAnomalies(
    tx,
    tenant.id,
    ["RECEIPT_NOT_REPORTED"],
    receiptIds.map((r) => r.receiptId),
  );
  await classifyPayments(tx, tenant.id, { flowIds: [flow.flowId] });
  return { status: "stored", flowRecordId: record.id, superseded: false, matched, anomalies: anomalies.length };
}

async function findingsOf(
  tx: Tx,
  tenantId: string,
  flow: ReportingFlowData,
  flowRecordId: string,
): Promise<NewAnomaly[]> {
  const base = { flowId: flow.flowId, details: { flowRecordId, pspId: flow.pspId, revision: flow.revision } };
  const found: NewAnomaly[] = flow.warnings.map((w) => ({
    kind: "FLOW_TOTALS_DIFFER",
    subject: `${flow.pspId}/${flow.flowId}/r${flow.revision}`,
    ...base,
    details: { ...base.details, warning: w },
  }));
  for (const r of flow.rows)
    if (r.outcomeCode !== 0)
      found.push({
        kind: "OUTCOME_TO_CHECK",
        subject: rowSubject(flow, r.position),
        iuv: r.iuv,
        receiptId: r.iur,
        ...base,
        details: { ...base.details, outcomeCode: r.outcomeCode, amountCents: r.amountCents },
      });
  for (const r of await unmatchedRows(tx, tenantId, [flowRecordId])) {
    // Revoked rows and rows paid without an RPT have no receipt by nature: OUTCOME_TO_CHECK covers them.
    if (!r.receiptFound && (r.outcomeCode === 3 || r.outcomeCode === 8 || r.outcomeCode === 9)) continue;
    found.push({
      kind: r.receiptFound ? "AMOUNT_DIFFERS" : "ROW_WITHOUT_RECEIPT",
      subject: rowSubject(flow, r.position),
      iuv: r.iuv,
      receiptId: r.iur,
      ...base,
      details: { ...base.details, transferIndex: r.transferIndex, amountCents: r.amountCents },
    });
  }
  return found;
}
