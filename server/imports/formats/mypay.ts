import type { Readable } from "node:stream";
import { isValidTaxonomyCode, isValidVatNumber, navFromIuv } from "../../pagopa/index.ts";
import * as f from "../fields.ts";
import { RowError, type ImportRecord, type PositionDraft, type TransferDraft } from "../record.ts";
import { csvRows } from "./csv-rows.ts";
import { readBilancio } from "./mypay-bilancio.ts";

/**
 * MyPay's "tracciato import dovuti" 1.0–1.4 (RegioneDelVeneto/mypay, ImportFlussoTaskService):
 * `;` CSV read by POSITION (header names vary between versions), azione I/M/A in the last column.
 * Columns per version: 1.0/1.1 = 20, 1.2 = 21 (bilancio), 1.3 = 22 (flgGeneraIuv), 1.4 = 35
 * (flgMultiBeneficiario and the secondary beneficiary).
 */
export type MypayVersion = "1_0" | "1_1" | "1_2" | "1_3" | "1_4";
export const MYPAY_COLUMNS: Record<MypayVersion, number> = { "1_0": 20, "1_1": 20, "1_2": 21, "1_3": 22, "1_4": 35 };

/** `<codIpaEnte>-<flow name>-<version>.zip`: the council's IPA code and the layout version. */
export function parseMypayFileName(name: string): { ipa: string; flow: string; version: MypayVersion } | null {
  const m = /^([A-Za-z0-9_]{2,40})-(.+)-(1_[0-4])\.zip$/i.exec(name);
  return m ? { ipa: m[1]!, flow: m[2]!, version: m[3]! as MypayVersion } : null;
}

const COLUMNS = { key: "IUD", paymentType: "tipoDovuto", amount: "importoDovuto", nav: "codIuv", row: "riga" };
const NAMES = [
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
  "emailPagatore",
  "dataScadenzaPagamento",
  "importoDovuto",
  "commissioneCaricoPa",
  "tipoDovuto",
  "tipoVersamento",
  "causaleVersamento",
  "datiSpecificiRiscossione",
];

export async function* readMypayCsv(input: Readable, version: MypayVersion): AsyncGenerator<ImportRecord> {
  const width = MYPAY_COLUMNS[version];
  let headerSeen = false;
  for await (const row of csvRows(input, ";")) {
    if (!headerSeen) {
      headerSeen = true;
      continue;
    }
    const iud = (row.cells[0] ?? "").trim();
    const action = (row.cells[width - 1] ?? "").trim().toUpperCase();
    const rows = [{ rowNumber: row.rowNumber, key: iud }];
    const kind = action === "M" ? "update" : action === "A" ? "cancel" : "insert";
    try {
      if (row.cells.length !== width)
        throw new RowError(
          "NUMERO_CAMPI",
          "riga",
          `La riga ha ${row.cells.length} campi, il tracciato ${version.replace("_", ".")} ne ha ${width}`,
        );
      f.requiredText(iud, "IUD", 35);
      if (!["I", "M", "A"].includes(action))
        throw new RowError("AZIONE_NON_VALIDA", "azione", `azione «${action}» non valida: I, M o A`);
      if (kind === "cancel") {
        yield { rows, action: kind, key: iud, columns: COLUMNS };
        continue;
      }
      yield {
        rows,
        action: kind,
        key: iud,
        columns: COLUMNS,
        position: parsePosition(row.cells, version, iud, row.rowNumber),
      };
    } catch (err) {
      if (!(err instanceof RowError)) throw err;
      yield {
        rows,
        action: kind,
        key: iud || `riga-${row.rowNumber}`,
        columns: COLUMNS,
        issue: { code: err.code, column: err.column, message: err.message },
      };
    }
  }
}

function parsePosition(cells: string[], version: MypayVersion, iud: string, rowNumber: number): PositionDraft {
  const c = (i: number) => (cells[i] ?? "").trim();
  const n = (i: number) => NAMES[i]!;
  const v = Number(version.slice(2));
  const amount = f.dottedAmount(c(13), n(13));
  const causale = f.requiredText(c(17), n(17), v === 0 ? 140 : 1024);
  const datiSpecifici = f.text(c(18), n(18), 140);
  const generate = v >= 3 ? f.flag(c(20), "flgGeneraIuv", !c(1)) : !c(1);
  const iuv = f.text(c(1), n(1), 35);
  if (!generate && !iuv)
    throw new RowError("CAMPO_OBBLIGATORIO", "codIuv", "codIuv: obbligatorio se flgGeneraIuv è false");
  let nav: string | undefined;
  if (!generate && iuv) {
    try {
      nav = navFromIuv(iuv);
    } catch {
      throw new RowError(
        "FORMATO_NON_VALIDO",
        "codIuv",
        `codIuv ${iuv}: serve uno IUV di 17 cifre con codice di controllo valido`,
      );
    }
  }
  const bilancio = v >= 2 ? f.text(c(19), "bilancio", 4096) : undefined;
  if (bilancio && !/^<bilancio>[\s\S]*<\/bilancio>$/.test(bilancio))
    throw new RowError("FORMATO_NON_VALIDO", "bilancio", "bilancio: XML <bilancio>…</bilancio> non valido");
  const multi = v >= 4 ? f.flag(c(21), "flgMultiBeneficiario", false) : false;
  const metadata = datiSpecifici ? [{ key: "datiSpecificiRiscossione", value: datiSpecifici }] : [];
  const primary: TransferDraft = { amountCents: amount, remittanceText: causale.slice(0, 140), metadata };
  const transfers = [primary];
  if (multi) {
    const secondary: TransferDraft = {
      beneficiaryFiscalCode: f.requiredText(c(22), "codiceFiscaleEnteSecondario", 11),
      iban: f.iban(c(24), "ibanAccreditoEnteSecondario", true),
      amountCents: f.dottedAmount(c(33), "importoVersamentoEnteSecondario"),
      remittanceText: (f.text(c(32), "causaleVersamentoEnteSecondario", 1024) ?? causale).slice(0, 140),
      metadata: c(31)
        ? [
            {
              key: "datiSpecificiRiscossione",
              value: f.requiredText(c(31), "datiSpecificiRiscossioneEnteSecondario", 140),
            },
          ]
        : [],
    };
    if (!isValidVatNumber(secondary.beneficiaryFiscalCode!))
      throw new RowError(
        "CODICE_FISCALE_NON_VALIDO",
        "codiceFiscaleEnteSecondario",
        "codiceFiscaleEnteSecondario non valido",
      );
    f.requiredText(c(23), "denominazioneEnteSecondario", 70);
    if (secondary.amountCents >= amount)
      throw new RowError(
        "IMPORTO_NON_VALIDO",
        "importoVersamentoEnteSecondario",
        "l'importo dell'ente secondario deve essere minore dell'importo dovuto",
      );
    primary.amountCents = amount - secondary.amountCents;
    transfers.push(secondary);
  }
  // The council's budget split of its own share (the secondary body keeps its own books).
  if (bilancio) primary.accountingLines = readBilancio(bilancio, primary.amountCents);
  const street = [c(5), c(6)].filter(Boolean).join(" ");
  // datiSpecificiRiscossione "9/<code>/" is a pagoPA taxonomy code: it then names the transfer's.
  const taxonomy = datiSpecifici && isValidTaxonomyCode(datiSpecifici) ? datiSpecifici : undefined;
  primary.taxonomyCode = taxonomy;
  return {
    paymentTypeCode: f.requiredText(c(15), n(15), 64),
    debtor: {
      type: f.debtorType(c(2), n(2)),
      fiscalCode: f.fiscalCode(c(3), n(3)),
      name: f.requiredText(c(4), n(4), 70),
      address: f.text(street, n(5), 140),
      postalCode: f.text(c(7), n(7), 16),
      city: f.text(c(8), n(8), 35),
      province: f.province(c(9), n(9)),
      email: f.email(c(11), n(11)),
    },
    subject: causale.slice(0, 140),
    options: [{ kind: "SINGLE", rowNumber, amountCents: amount, dueDate: f.dueDate(c(12), n(12)), nav, transfers }],
    data: {
      mypay: {
        causaleVersamento: causale.length > 140 ? causale : undefined,
        tipoVersamento: c(16) || undefined,
        commissioneCaricoPa: c(14) || undefined,
        datiSpecificiRiscossione: datiSpecifici,
        taxonomyCode: taxonomy,
        bilancio,
      },
    },
  };
}
