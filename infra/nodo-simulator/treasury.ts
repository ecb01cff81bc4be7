import type { FlowRecord } from "./store.ts";

const csvCell = (v: string | number) => {
  const s = String(v);
  return /[;"\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/**
 * The creditor's treasury journal (giornale di cassa) as the treasurer would export it: one
 * credit per reporting flow, on the settlement date, described as
 * /PUR/LGPE-RIVERSAMENTO/URI/<flow id> as SEPA credit transfers from PSPs are.
 */
export function treasuryCsv(flows: FlowRecord[], creditorFiscalCode: string): string {
  const header = ["data_valuta", "importo_centesimi", "importo_euro", "causale", "ordinante", "trn"];
  const rows = flows
    .filter((f) => f.creditorFiscalCode === creditorFiscalCode)
    .sort((a, b) => a.date.localeCompare(b.date) || a.flowId.localeCompare(b.flowId))
    .map((f) => [
      f.date,
      f.totalCents,
      (f.totalCents / 100).toFixed(2).replace(".", ","),
      `/PUR/LGPE-RIVERSAMENTO/URI/${f.flowId}`,
      f.idPSP,
      f.settlementId,
    ]);
  return [header, ...rows].map((r) => r.map(csvCell).join(";")).join("\n") + "\n";
}
