import { randomBytes } from "node:crypto";
import type { FlowRecord, PaymentRecord } from "../store.ts";
import { PSPS, euro } from "../station-client.ts";

const esc = (v: string) => v.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * Builds the reporting flows (FdR, FlussoRiversamento 1.0.5) for one day: one flow per PSP per
 * creditor, with one row per transfer paid to that creditor. Outcome code 0 = paid, 4 = paid in
 * Stand-In. Flow id `<YYYY-MM-DD><idPSP>-<n>`; payments already reported are skipped.
 */
export function buildFlows(
  payments: PaymentRecord[],
  reported: FlowRecord[],
  date: string,
  now = new Date(),
): FlowRecord[] {
  const done = new Set(
    reported.flatMap((f) => [...f.xml.matchAll(/<identificativoUnivocoRiscossione>([^<]+)</g)].map((m) => m[1])),
  );
  const groups = new Map<string, Array<{ p: PaymentRecord; t: PaymentRecord["transfers"][number] }>>();
  for (const p of payments) {
    if (p.paidAt.slice(0, 10) !== date || done.has(p.receiptId)) continue;
    for (const t of p.transfers) {
      const key = `${p.idPSP}|${t.fiscalCodePA}`;
      groups.set(key, [...(groups.get(key) ?? []), { p, t }]);
    }
  }
  const counter = new Map<string, number>();
  for (const f of reported) if (f.date === date) counter.set(f.idPSP, (counter.get(f.idPSP) ?? 0) + 1);
  return [...groups].map(([key, rows]) => {
    const [idPSP, creditor] = key.split("|") as [string, string];
    const n = (counter.get(idPSP) ?? 0) + 1;
    counter.set(idPSP, n);
    const flowId = `${date}${idPSP}-${n}`;
    const psp = PSPS.find((x) => x.idPSP === idPSP);
    const settlementId = `TRN${date.replace(/-/g, "")}${randomBytes(6).toString("hex").toUpperCase()}`;
    const totalCents = rows.reduce((s, r) => s + r.t.amountCents, 0);
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?>' +
      '<FlussoRiversamento xmlns="http://www.digitpa.gov.it/schemas/2011/Pagamenti/">' +
      `<versioneOggetto>1.0</versioneOggetto><identificativoFlusso>${flowId}</identificativoFlusso>` +
      `<dataOraFlusso>${now.toISOString().slice(0, 19)}</dataOraFlusso>` +
      `<identificativoUnivocoRegolamento>${settlementId}</identificativoUnivocoRegolamento><dataRegolamento>${date}</dataRegolamento>` +
      `<istitutoMittente><identificativoUnivocoMittente><tipoIdentificativoUnivoco>B</tipoIdentificativoUnivoco><codiceIdentificativoUnivoco>${idPSP}</codiceIdentificativoUnivoco></identificativoUnivocoMittente>` +
      `<denominazioneMittente>${esc((psp?.name ?? idPSP).slice(0, 70))}</denominazioneMittente></istitutoMittente>` +
      `<istitutoRicevente><identificativoUnivocoRicevente><tipoIdentificativoUnivoco>G</tipoIdentificativoUnivoco><codiceIdentificativoUnivoco>${creditor}</codiceIdentificativoUnivoco></identificativoUnivocoRicevente></istitutoRicevente>` +
      `<numeroTotalePagamenti>${rows.length}</numeroTotalePagamenti><importoTotalePagamenti>${euro(totalCents)}</importoTotalePagamenti>` +
      rows
        .map(
          ({ p, t }) =>
            `<datiSingoliPagamenti><identificativoUnivocoVersamento>${p.iuv}</identificativoUnivocoVersamento>` +
            `<identificativoUnivocoRiscossione>${p.receiptId}</identificativoUnivocoRiscossione><indiceDatiSingoloPagamento>${t.idTransfer}</indiceDatiSingoloPagamento>` +
            `<singoloImportoPagato>${euro(t.amountCents)}</singoloImportoPagato><codiceEsitoSingoloPagamento>${p.standIn ? 4 : 0}</codiceEsitoSingoloPagamento>` +
            `<dataEsitoSingoloPagamento>${p.paidAt.slice(0, 10)}</dataEsitoSingoloPagamento></datiSingoliPagamenti>`,
        )
        .join("") +
      "</FlussoRiversamento>";
    return { flowId, idPSP, creditorFiscalCode: creditor, date, settlementId, xml, totalCents, count: rows.length };
  });
}

/**
 * A PSP's correction of a published flow: the same flow id as revision n+1, written now, without
 * the rows of the IUVs in `drop` (a payment reported by mistake), totals recomputed.
 */
export function reviseFlow(flow: FlowRecord, drop: string[], now = new Date()): FlowRecord {
  const rows = [...flow.xml.matchAll(/<datiSingoliPagamenti>[\s\S]*?<\/datiSingoliPagamenti>/g)]
    .map((m) => m[0])
    .filter((row) => !drop.some((iuv) => row.includes(`<identificativoUnivocoVersamento>${iuv}<`)));
  const amount = (row: string) => Math.round(Number(/<singoloImportoPagato>([\d.]+)</.exec(row)![1]) * 100);
  const totalCents = rows.reduce((s, r) => s + amount(r), 0);
  const head = flow.xml.slice(0, flow.xml.indexOf("<datiSingoliPagamenti>"));
  const xml =
    head
      .replace(/<dataOraFlusso>[^<]*</, `<dataOraFlusso>${now.toISOString().slice(0, 19)}<`)
      .replace(/<numeroTotalePagamenti>[^<]*</, `<numeroTotalePagamenti>${rows.length}<`)
      .replace(/<importoTotalePagamenti>[^<]*</, `<importoTotalePagamenti>${euro(totalCents)}<`) +
    rows.join("") +
    "</FlussoRiversamento>";
  return { ...flow, xml, totalCents, count: rows.length, revision: (flow.revision ?? 1) + 1 };
}
