import type { PaidReceiptRow } from "../receipts/index.ts";
import type { Cell } from "./table.ts";

export type PaidLayout = "native" | "mypay" | "govpay";

/** Cents as `12.34` (MyPay, GovPay). */
export const euroDot = (cents: number) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
const rome = new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Rome" });
/** The Rome calendar day of an instant (`aaaa-mm-gg`). */
export const romeDay = (at: Date) => rome.format(at);

interface ReceiptTransfer {
  index?: number;
  amountCents?: number;
  fiscalCodePA?: string;
  iban?: string;
  remittanceText?: string;
  category?: string;
}
const transfersOf = (r: PaidReceiptRow): ReceiptTransfer[] => {
  const list = Array.isArray(r.transfers) ? (r.transfers as ReceiptTransfer[]) : [];
  return list.length ? list : [{ index: 1, amountCents: r.amountCents }];
};
const govpayData = (r: PaidReceiptRow): Record<string, unknown> => {
  const data = (r.positionData ?? {}) as { govpay?: Record<string, unknown> };
  return data.govpay ?? {};
};
const str = (v: unknown) => (typeof v === "string" || typeof v === "number" ? String(v) : "");

/**
 * MyPay's paid-debts columns up to `datiSpecificiRiscossione`: its paid export ends them with
 * `identificativoUnivocoRiscossione`, MyPivot's paid layout (the accounting split) with `bilancio`.
 */
export const MYPAY_PAID_COLUMNS = [
  "IUD",
  "codIuv",
  "tipoIdentificativoUnivoco",
  "codiceIdentificativoUnivoco",
  "anagraficaPagatore",
  "indirizzoPagatore",
  "civicoPagatore",
  "capPagatore",
  "localitaPagatore",
  "provinciaPagatore",
  "nazionePagatore",
  "mailPagatore",
  "dataEsecuzionePagamento",
  "importoDovutoPagato",
  "commissioneCaricoPa",
  "tipoDovuto",
  "tipoVersamento",
  "causaleVersamento",
  "datiSpecificiRiscossione",
] as const;

/** One paid debt in MYPAY_PAID_COLUMNS (PontePA holds no payer address, so those stay empty). */
export function mypayPaidCells(p: {
  externalId: string | null;
  iuv: string;
  debtorType: string | null;
  debtorFiscalCode: string | null;
  debtorName: string | null;
  paidAt: Date;
  amountCents: number;
  paymentTypeCode: string | null;
  subject: string | null;
}): Cell[] {
  return [
    p.externalId ?? "",
    p.iuv,
    p.debtorType ?? "F",
    p.debtorFiscalCode ?? "",
    p.debtorName ?? "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    romeDay(p.paidAt),
    euroDot(p.amountCents),
    "",
    p.paymentTypeCode ?? "",
    "ALL",
    p.subject ?? "",
    "",
  ];
}

export interface PaidLayoutSpec {
  header: readonly string[];
  delimiter: ";" | ",";
  /** One receipt's lines: one for most layouts, one per transfer (riscossione) in GovPay's. */
  lines(r: PaidReceiptRow, xlsx: boolean): Cell[][];
}

export const PAID_LAYOUTS: Record<PaidLayout, PaidLayoutSpec> = {
  native: {
    header: [
      "id_esterno",
      "numero_avviso",
      "iuv",
      "tipo_dovuto",
      "codice_fiscale_debitore",
      "nominativo_debitore",
      "causale",
      "importo_pagato",
      "data_pagamento",
      "id_ricevuta",
      "psp",
    ],
    delimiter: ";",
    lines: (r, xlsx) => [
      [
        r.externalId ?? "",
        r.nav,
        r.iuv,
        r.paymentTypeCode ?? "",
        r.debtorFiscalCode ?? "",
        r.debtorName ?? "",
        r.subject ?? "",
        xlsx ? r.amountCents / 100 : euroDot(r.amountCents).replace(".", ","),
        r.paidAt.toISOString(),
        r.receiptId,
        r.pspName ?? r.pspId,
      ],
    ],
  },
  // MyPay's paid-debts export: its import layout 1.0 with dataEsecuzionePagamento and importoDovutoPagato.
  mypay: {
    header: [...MYPAY_PAID_COLUMNS, "identificativoUnivocoRiscossione"],
    delimiter: ";",
    lines: (r) => [[...mypayPaidCells(r), r.receiptId]],
  },
  // GovPay's export of payments received (govpay_rendicontazione.csv): one line per riscossione,
  // i.e. per transfer of the receipt. Fields PontePA does not hold (codiceContestoPagamento of the
  // old RPT model, datiAllegatiVoce, contabilita) stay empty.
  govpay: {
    header: [
      "idA2A",
      "idPendenza",
      "idDocumento",
      "codiceRata",
      "dataScadenza",
      "idVocePendenza",
      "idTipoPendenza",
      "descrizione",
      "descrizioneVoce",
      "anno",
      "identificativoDebitore",
      "anagraficaDebitore",
      "identificativoDominio",
      "identificativoUnivocoVersamento",
      "codiceContestoPagamento",
      "indiceDati",
      "identificativoUnivocoRiscossione",
      "modelloPagamento",
      "singoloImportoPagato",
      "dataEsitoSingoloPagamento",
      "causaleVersamento",
      "datiSpecificiRiscossione",
      "datiAllegati",
      "datiAllegatiVoce",
      "denominazioneAttestante",
      "identificativoAttestante",
      "contabilita",
    ],
    delimiter: ",",
    lines: (r) => {
      const g = govpayData(r);
      return transfersOf(r).map((t) => [
        str(g.idA2A),
        r.externalId ?? "",
        str(g.idDocumento),
        r.installmentNumber === null ? "" : String(r.installmentNumber),
        r.dueDate ? romeDay(r.dueDate) : "",
        String(t.index ?? 1),
        r.paymentTypeCode ?? "",
        r.subject ?? "",
        t.remittanceText ?? "",
        str(g.annoRiferimento),
        r.debtorFiscalCode ?? "",
        r.debtorName ?? "",
        t.fiscalCodePA ?? "",
        r.iuv,
        "",
        String(t.index ?? 1),
        r.receiptId,
        "",
        euroDot(t.amountCents ?? r.amountCents),
        romeDay(r.paidAt),
        r.subject ?? "",
        t.category ?? "",
        str(g.datiAllegati),
        "",
        r.pspName ?? "",
        r.pspId,
        "",
      ]);
    },
  },
};
