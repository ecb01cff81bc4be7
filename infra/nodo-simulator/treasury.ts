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

const xmlText = (v: string) => v.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * The same journal as the treasurer sends it through SIOPE+: an OPI giornale di cassa (version
 * 1.6.1 and later: data_riferimento_GdC), one SOSPESO ENTRATA movement per flow, its causale
 * naming the flow. The signature is a placeholder of the required shape (nobody checks it here).
 */
export function treasuryOpi(flows: FlowRecord[], creditorFiscalCode: string, now = new Date()): string {
  const mine = flows
    .filter((f) => f.creditorFiscalCode === creditorFiscalCode)
    .sort((a, b) => a.date.localeCompare(b.date) || a.flowId.localeCompare(b.flowId));
  const day = now.toISOString().slice(0, 10);
  const euro = (cents: number) => (cents / 100).toFixed(2);
  const total = mine.reduce((s, f) => s + f.totalCents, 0);
  const movements = mine
    .map(
      (f, i) =>
        "<movimento_conto_evidenza>" +
        `<identificativo_flusso>${String(i + 1).padStart(7, "0")}</identificativo_flusso><numero_movimento>${i + 1}</numero_movimento>` +
        "<tipo_movimento>ENTRATA</tipo_movimento><tipo_documento>SOSPESO ENTRATA</tipo_documento><tipo_operazione>ESEGUITO</tipo_operazione>" +
        `<numero_documento>${String(i + 1).padStart(7, "0")}</numero_documento>` +
        `<sospeso_da_regolarizzare><data_effettiva_sospeso>${f.date}</data_effettiva_sospeso><codice_gestionale_provvisorio>1000</codice_gestionale_provvisorio></sospeso_da_regolarizzare>` +
        "<numero_pagamento_funzionario_delegato>0000000</numero_pagamento_funzionario_delegato><progressivo_documento>0000000</progressivo_documento>" +
        `<importo>${euro(f.totalCents)}</importo><numero_bolletta_quietanza>${String(i + 1).padStart(7, "0")}</numero_bolletta_quietanza>` +
        "<numero_bolletta_quietanza_storno>0000000</numero_bolletta_quietanza_storno>" +
        `<data_movimento>${f.date}</data_movimento><data_movimento_siope>${f.date}</data_movimento_siope><data_valuta_ente>${f.date}</data_valuta_ente>` +
        `<tipo_esecuzione>CASSA</tipo_esecuzione><end_to_end_id>${xmlText(f.settlementId)}</end_to_end_id>` +
        "<codice_riferimento_interno>SIM-0000001</codice_riferimento_interno><tipo_contabilita>FRUTTIFERO</tipo_contabilita><destinazione>LIBERA</destinazione>" +
        "<assoggettamento_bollo>ESENTE BOLLO</assoggettamento_bollo><assoggettamento_spese>ESENTE SPESE</assoggettamento_spese>" +
        `<cliente><anagrafica_cliente>${xmlText(f.idPSP)}</anagrafica_cliente></cliente>` +
        `<causale>/PUR/LGPE-RIVERSAMENTO/URI/${xmlText(f.flowId)}</causale>` +
        "</movimento_conto_evidenza>",
    )
    .join("");
  return (
    '<?xml version="1.0" encoding="UTF-8"?><flusso_giornale_di_cassa>' +
    `<testata_messaggio><codice_ABI_BT>03030</codice_ABI_BT><data_ora_creazione_flusso>${now.toISOString().slice(0, 19)}</data_ora_creazione_flusso>` +
    `<codice_ente>SIM001</codice_ente><descrizione_ente>ENTE ${creditorFiscalCode}</descrizione_ente><codice_istat_ente>000000000</codice_istat_ente>` +
    `<codice_fiscale_ente>${creditorFiscalCode}</codice_fiscale_ente><codice_tramite_ente>A2A-00000000</codice_tramite_ente>` +
    "<codice_tramite_BT>A2A-11111111</codice_tramite_BT><codice_ente_BT>0000001</codice_ente_BT></testata_messaggio>" +
    `<identificativo_flusso_BT>GDC-${day.replace(/-/g, "")}SIMULATORE01#001#001</identificativo_flusso_BT><pagina>1</pagina><pagine_totali>1</pagine_totali>` +
    `<esercizio>${day.slice(0, 4)}</esercizio><data_riferimento_GdC>${day}</data_riferimento_GdC>` +
    `<informazioni_conto_evidenza><conto_evidenza>0000001</conto_evidenza><descrizione_conto_evidenza>CONTO PRINCIPALE</descrizione_conto_evidenza>${movements}` +
    `<saldo_precedente_conto_evidenza>0.00</saldo_precedente_conto_evidenza><totale_entrate_conto_evidenza>${euro(total)}</totale_entrate_conto_evidenza>` +
    `<totale_uscite_conto_evidenza>0.00</totale_uscite_conto_evidenza><saldo_finale_conto_evidenza>${euro(total)}</saldo_finale_conto_evidenza></informazioni_conto_evidenza>` +
    '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo>' +
    '<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>' +
    '<ds:Reference URI=""><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue>AA==</ds:DigestValue></ds:Reference>' +
    "</ds:SignedInfo><ds:SignatureValue>AA==</ds:SignatureValue></ds:Signature>" +
    "</flusso_giornale_di_cassa>"
  );
}
