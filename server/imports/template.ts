import type { Writable } from "node:stream";
import ExcelJS from "exceljs";
import { stringify } from "csv-stringify/sync";
import { NATIVE_COLUMNS } from "./formats/native.ts";

/** Example rows of the native layout: one single payment, one in a single payment or two installments. */
const EXAMPLES: Array<Partial<Record<(typeof NATIVE_COLUMNS)[number], string>>> = [
  {
    azione: "I",
    id_esterno: "MENSA-2027-0001",
    tipo_dovuto: "MENSA_SCOLASTICA",
    tipo_debitore: "F",
    codice_fiscale_debitore: "RSSMRA80A01H501U",
    nominativo_debitore: "Mario Rossi",
    email_debitore: "mario.rossi@example.it",
    causale: "Mensa scolastica gennaio 2027",
    importo: "45,00",
    scadenza: "2027-01-31",
  },
  ...["", "1", "2"].map((rata) => ({
    azione: "I",
    id_esterno: "TARI-2027-0001",
    tipo_dovuto: "TARI",
    tipo_debitore: "F",
    codice_fiscale_debitore: "RSSMRA80A01H501U",
    nominativo_debitore: "Mario Rossi",
    indirizzo_debitore: "Via dei Tigli 4",
    cap_debitore: "00100",
    comune_debitore: "Borgo Fiorito",
    provincia_debitore: "RM",
    causale: "TARI 2027 utenza domestica",
    rata,
    importo: rata ? "100,00" : "200,00",
    scadenza: rata === "2" ? "2027-09-30" : "2027-05-31",
  })),
];

const rows = () => EXAMPLES.map((e) => NATIVE_COLUMNS.map((c) => e[c] ?? ""));

/** The native layout's template as CSV (`;`, UTF-8 with BOM so spreadsheets read accents). */
export function nativeTemplateCsv(): string {
  return "\uFEFF" + stringify([[...NATIVE_COLUMNS], ...rows()], { delimiter: ";", record_delimiter: "windows" });
}

/** The same as XLSX: the layout on the first sheet, what each column means on the second. */
export async function writeNativeTemplateXlsx(out: Writable, help: Record<string, string>): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet("Posizioni");
  sheet.addRow([...NATIVE_COLUMNS]);
  for (const r of rows()) sheet.addRow(r);
  const legend = wb.addWorksheet("Istruzioni");
  legend.addRow(["colonna", "significato"]);
  for (const c of NATIVE_COLUMNS) legend.addRow([c, help[c.replace(/_\d$/, "_N")] ?? ""]);
  await wb.xlsx.write(out);
}

/** What each column means (the template's second sheet; docs/imports.md says the same). */
export const NATIVE_COLUMN_HELP: Record<string, string> = {
  azione: "I inserisce, M modifica, A annulla (vuota: I)",
  id_esterno: "il vostro identificativo del debito, unico per l'ente (max 64)",
  tipo_dovuto: "codice del tipo di pagamento configurato nel back-office",
  tipo_debitore: "F persona fisica, G persona giuridica (vuota: F)",
  codice_fiscale_debitore: "codice fiscale o partita IVA; ANONIMO se sconosciuto",
  nominativo_debitore: "nome e cognome o ragione sociale (max 140)",
  email_debitore: "facoltativa",
  indirizzo_debitore: "facoltativo: via e numero civico",
  cap_debitore: "facoltativo",
  comune_debitore: "facoltativo",
  provincia_debitore: "facoltativa: sigla di due lettere",
  causale: "causale del pagamento (max 140)",
  rata: "vuota per l'unica soluzione; 1, 2, … per le rate, su righe consecutive con lo stesso id_esterno",
  importo: "in euro, es. 1020,50",
  scadenza: "aaaa-mm-gg o gg/mm/aaaa",
  numero_avviso: "facoltativo: un numero avviso già emesso dall'ente (18 cifre)",
  cf_ente_N: "facoltativo: codice fiscale dell'ente beneficiario N (vuoto: l'ente stesso)",
  iban_N: "IBAN del beneficiario N; senza beneficiari si usano i conti del tipo di pagamento",
  importo_N: "quota del beneficiario N (la somma è l'importo)",
  causale_N: "facoltativa: causale della quota N",
};
