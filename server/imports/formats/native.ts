import type { Readable } from "node:stream";
import { isValidVatNumber } from "../../pagopa/index.ts";
import * as f from "../fields.ts";
import {
  RowError,
  type ImportAction,
  type ImportRecord,
  type OptionDraft,
  type PositionDraft,
  type TransferDraft,
} from "../record.ts";
import { csvRows, type CsvRow } from "./csv-rows.ts";
import { groupConsecutive, isInstallmentPlan } from "./group-rows.ts";

/**
 * PontePA's own layout (docs/imports.md), the same columns in CSV (`;`, as Italian spreadsheets
 * save it) and XLSX (first sheet): matched by header name, so columns may come in any order and
 * optional ones may be left out. One row per payment option: consecutive rows with the same
 * id_esterno and rata "", 1, 2… are one position (single payment and/or installments).
 */
export const NATIVE_COLUMNS = [
  "azione",
  "id_esterno",
  "tipo_dovuto",
  "tipo_debitore",
  "codice_fiscale_debitore",
  "nominativo_debitore",
  "email_debitore",
  "indirizzo_debitore",
  "cap_debitore",
  "comune_debitore",
  "provincia_debitore",
  "causale",
  "rata",
  "importo",
  "scadenza",
  "numero_avviso",
  ...[1, 2, 3, 4, 5].flatMap((n) => [`cf_ente_${n}`, `iban_${n}`, `importo_${n}`, `causale_${n}`]),
] as const;
const REQUIRED = [
  "id_esterno",
  "tipo_dovuto",
  "codice_fiscale_debitore",
  "nominativo_debitore",
  "causale",
  "importo",
  "scadenza",
];
const COLUMNS = { key: "id_esterno", paymentType: "tipo_dovuto", amount: "importo", nav: "numero_avviso", row: "riga" };

interface Parsed {
  rowNumber: number;
  key: string;
  action: ImportAction;
  rata: string;
  issue?: RowError;
  position?: PositionDraft;
  option?: OptionDraft;
}

export async function* readNativeCsv(input: Readable): AsyncGenerator<ImportRecord> {
  yield* nativeRecords(csvRows(input, ";"));
}

/** Rows of any source (CSV, XLSX) with the native header first. */
export async function* nativeRecords(rows: AsyncIterable<CsvRow>): AsyncGenerator<ImportRecord> {
  let header: Map<string, number> | undefined;
  async function* parsed(): AsyncGenerator<Parsed> {
    for await (const row of rows) {
      if (!header) {
        header = new Map(row.cells.map((name, i) => [name.trim().toLowerCase(), i]));
        const missing = REQUIRED.filter((c) => !header!.has(c));
        if (missing.length)
          throw new RowError(
            "INTESTAZIONE",
            missing[0],
            `Intestazione non riconosciuta: mancano le colonne ${missing.join(", ")}`,
          );
        continue;
      }
      if (row.cells.every((c) => !c.trim())) continue;
      yield parseRow(row, header);
    }
  }
  for await (const group of groupConsecutive(parsed(), (r) =>
    r.action === "cancel" ? undefined : r.key || undefined,
  )) {
    if (group.length > 1 && isInstallmentPlan(group.map((r) => r.rata))) yield grouped(group);
    else for (const r of group) yield grouped([r]);
  }
}

function parseRow(row: CsvRow, header: Map<string, number>): Parsed {
  const cell: f.Cells = (name) => {
    const i = header.get(name);
    return i === undefined ? "" : (row.cells[i] ?? "").trim();
  };
  const key = cell("id_esterno");
  const a = (cell("azione") || "I").toUpperCase();
  const action: ImportAction = a === "M" ? "update" : a === "A" ? "cancel" : "insert";
  const base = { rowNumber: row.rowNumber, key, action, rata: cell("rata") };
  try {
    if (row.cells.length > header.size)
      throw new RowError("NUMERO_CAMPI", "riga", `La riga ha ${row.cells.length} campi, l'intestazione ${header.size}`);
    f.requiredText(key, "id_esterno", 64);
    if (!["I", "M", "A"].includes(a))
      throw new RowError("AZIONE_NON_VALIDA", "azione", `azione «${a}» non valida: I, M o A`);
    if (action === "cancel") return base;
    if (base.rata && !/^\d{1,2}$/.test(base.rata))
      throw new RowError("FORMATO_NON_VALIDO", "rata", "rata: vuota (unica soluzione) o il numero della rata");
    const subject = f.requiredText(cell("causale"), "causale", 140);
    const amount = f.euroAmount(cell("importo"), "importo");
    const transfers: TransferDraft[] = [];
    for (let n = 1; n <= 5; n++) {
      const ibanN = f.iban(cell(`iban_${n}`), `iban_${n}`);
      const cf = f.text(cell(`cf_ente_${n}`), `cf_ente_${n}`, 11);
      if (!ibanN && !cf && !cell(`importo_${n}`)) continue;
      if (cf && !isValidVatNumber(cf))
        throw new RowError(
          "CODICE_FISCALE_NON_VALIDO",
          `cf_ente_${n}`,
          `cf_ente_${n}: codice fiscale dell'ente non valido`,
        );
      if (!ibanN)
        throw new RowError("CAMPO_OBBLIGATORIO", `iban_${n}`, `iban_${n}: campo obbligatorio per l'ente ${n}`);
      transfers.push({
        beneficiaryFiscalCode: cf,
        iban: ibanN,
        amountCents: f.euroAmount(cell(`importo_${n}`), `importo_${n}`),
        remittanceText: f.text(cell(`causale_${n}`), `causale_${n}`, 140) ?? subject,
      });
    }
    if (transfers.length && transfers.reduce((s, t) => s + t.amountCents, 0) !== amount)
      throw new RowError("IMPORTO_NON_VALIDO", "importo", "importo diverso dalla somma degli importi degli enti");
    const nav = f.text(cell("numero_avviso"), "numero_avviso", 18);
    if (nav && !/^3\d{17}$/.test(nav))
      throw new RowError("FORMATO_NON_VALIDO", "numero_avviso", "numero_avviso: 18 cifre");
    const position: PositionDraft = {
      paymentTypeCode: f.requiredText(cell("tipo_dovuto"), "tipo_dovuto", 35),
      debtor: {
        type: cell("tipo_debitore") ? f.debtorType(cell("tipo_debitore"), "tipo_debitore") : "F",
        fiscalCode: f.fiscalCode(cell("codice_fiscale_debitore"), "codice_fiscale_debitore"),
        name: f.requiredText(cell("nominativo_debitore"), "nominativo_debitore", 140),
        email: f.email(cell("email_debitore"), "email_debitore"),
        address: f.text(cell("indirizzo_debitore"), "indirizzo_debitore", 140),
        postalCode: f.text(cell("cap_debitore"), "cap_debitore", 16),
        city: f.text(cell("comune_debitore"), "comune_debitore", 35),
        province: f.province(cell("provincia_debitore"), "provincia_debitore"),
      },
      subject,
      options: [],
      data: {},
    };
    const option: OptionDraft = {
      kind: base.rata ? "INSTALLMENT" : "SINGLE",
      rowNumber: row.rowNumber,
      amountCents: amount,
      dueDate: f.dueDate(cell("scadenza"), "scadenza", true),
      nav,
      transfers: transfers.length ? transfers : [{ amountCents: amount, remittanceText: subject }],
    };
    return { ...base, position, option };
  } catch (err) {
    if (err instanceof RowError) return { ...base, issue: err };
    throw err;
  }
}

function grouped(group: Parsed[]): ImportRecord {
  const first = group[0]!;
  const rows = group.map((r) => ({ rowNumber: r.rowNumber, key: r.key }));
  const base = { rows, action: first.action, key: first.key || `riga-${first.rowNumber}`, columns: COLUMNS };
  const bad = group.find((r) => r.issue);
  if (bad) return { ...base, issue: { code: bad.issue!.code, column: bad.issue!.column, message: bad.issue!.message } };
  if (first.action === "cancel") return base;
  if (group.length === 1 && first.rata)
    return {
      ...base,
      issue: {
        code: "RATE",
        column: "rata",
        message: "le rate sono almeno due, su righe consecutive con lo stesso id_esterno",
      },
    };
  const ordered = [...group].sort((a, b) => Number(a.rata || 0) - Number(b.rata || 0));
  const count = ordered.filter((r) => r.rata).length;
  const options = ordered.map((r) => ({
    ...r.option!,
    description: r.rata ? `Rata ${r.rata} di ${count}` : "Unica soluzione",
  }));
  return { ...base, position: { ...first.position!, options } };
}
