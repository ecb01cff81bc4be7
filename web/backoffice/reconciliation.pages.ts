import { Router } from "express";
import { listReconciliation, type AnomalyKind } from "../../server/reconciliation/index.ts";
import { treasuryOverview, type CreditStatus } from "../../server/treasury/index.ts";
import type { BackofficeContext } from "./backoffice.context.ts";
import { allow } from "./guards.ts";
import { renderPage } from "./nav.ts";

/** Italian names of what reconciliation records (a Record: a new kind does not compile without one). */
export const ANOMALY_LABELS: Record<AnomalyKind, string> = {
  ROW_WITHOUT_RECEIPT: "Pagamento rendicontato senza ricevuta",
  AMOUNT_DIFFERS: "Importo rendicontato diverso dalla ricevuta",
  RECEIPT_NOT_REPORTED: "Ricevuta non ancora rendicontata",
  OUTCOME_TO_CHECK: "Esito da verificare (revocato, Stand-In o senza RPT)",
  FLOW_TOTALS_DIFFER: "Totali del flusso diversi dai pagamenti",
  RECEIPT_NOT_RECOVERED: "Ricevuta mai consegnata e non recuperata da pagoPA",
};
export const CREDIT_STATUS_LABELS: Record<CreditStatus, string> = {
  MATCHED: "Riconciliato",
  AMOUNT_MISMATCH: "Importo diverso dal flusso",
  FLOW_NOT_FOUND: "Flusso non ancora ricevuto",
  NO_PAGOPA_REFERENCE: "Senza riferimento pagoPA",
};
const OUTCOME_LABELS: Record<number, string> = {
  3: "revocato",
  4: "pagato in Stand-In",
  8: "Stand-In senza RPT",
  9: "pagato senza RPT",
};

/**
 * The council's reconciliation, read-only: reporting flows with how many rows found their
 * receipt, open anomalies, treasury credits with their match, credits without a pagoPA
 * reference, and flows no credit has paid yet.
 */
export function reconciliationPages(ctx: BackofficeContext): Router {
  const router = Router({ mergeParams: true });
  router.get("/riconciliazione", allow("tenant.read"), async (_req, res) => {
    const tenant = res.locals.tenant!;
    const [{ flows, anomalies }, treasury] = await Promise.all([
      listReconciliation(ctx.deps.db, tenant.id),
      treasuryOverview(ctx.deps.db, tenant.id),
    ]);
    const credit = (c: { status: string }) => ({
      ...c,
      statusLabel: CREDIT_STATUS_LABELS[c.status as CreditStatus] ?? c.status,
      ok: c.status === "MATCHED",
    });
    renderPage(res, "reconciliation", `/backoffice/enti/${tenant.ipaCode}/riconciliazione`, {
      title: "Riconciliazione",
      sectionBase: `/backoffice/enti/${tenant.ipaCode}/riconciliazione`,
      flows: flows.map((f) => ({ ...f, complete: f.matchedRows === f.rowsCount })),
      anomalies: anomalies.map((a) => {
        const code = (a.details as { outcomeCode?: number }).outcomeCode;
        return {
          ...a,
          label: ANOMALY_LABELS[a.kind as AnomalyKind] ?? a.kind,
          note: code !== undefined ? `Esito ${code}: ${OUTCOME_LABELS[code] ?? "sconosciuto"}` : null,
          amountCents: (a.details as { amountCents?: number }).amountCents,
        };
      }),
      credits: treasury.pagopa.map(credit),
      otherCredits: treasury.other.map(credit),
      flowsWithoutCredit: treasury.flowsWithoutCredit,
      imports: treasury.imports,
    });
  });
  return router;
}
