import type { Readable } from "node:stream";
import { isValidNav } from "../../pagopa/index.ts";
import * as f from "../fields.ts";
import { RowError, type ImportRecord, type OptionDraft, type PositionDraft, type TransferDraft } from "../record.ts";
import { csvRows } from "./csv-rows.ts";
import { groupConsecutive, isInstallmentPlan } from "./group-rows.ts";

/**
 * GovPay's "tracciato CSV di caricamento pendenze" (link-it/govpay formatoCSV.rst): `,`, a header
 * naming the columns (67 to 87 of them; rows may stop before the optional trailer), one pendenza
 * per row. importo 0 cancels the pendenza; a known idPendenza is updated (GovPay's semantics);
 * rows sharing an idDocumento whose numeroRata are a single payment and installments 1..N become
 * one position with one NAV per row; other documents (SCONTATO/RIDOTTO, ENTRO/OLTRE thresholds)
 * keep one position per row, the document kept in the position's data.
 */
export const GOVPAY_ECHO = [
  "idA2A",
  "idPendenza",
  "idDominio",
  "tipoPendenza",
  "tipoSoggettoPagatore",
  "identificativoPagatore",
  "anagraficaPagatore",
  "indirizzoPagatore",
  "civicoPagatore",
  "capPagatore",
  "localitaPagatore",
  "provinciaPagatore",
  "nazionePagatore",
  "emailPagatore",
  "cellularePagatore",
] as const;

const COLUMNS = { key: "idPendenza", paymentType: "tipoPendenza", amount: "importo", nav: "numeroAvviso", row: "riga" };

interface ParsedRow {
  rowNumber: number;
  idPendenza: string;
  echo: Record<string, string>;
  idDocumento?: string;
  numeroRata: string;
  cancel: boolean;
  issue?: RowError;
  position?: PositionDraft;
  option?: OptionDraft;
}

export async function* readGovpayCsv(input: Readable, tenantFiscalCode: string): AsyncGenerator<ImportRecord> {
  let header: Map<string, number> | undefined;
  async function* rows(): AsyncGenerator<ParsedRow> {
    for await (const row of csvRows(input, ",")) {
      if (!header) {
        header = new Map(row.cells.map((name, i) => [name.trim(), i]));
        for (const required of ["idA2A", "idPendenza", "importo"])
          if (!header.has(required))
            throw new RowError("INTESTAZIONE", required, `Intestazione non riconosciuta: manca la colonna ${required}`);
        continue;
      }
      yield parseRow(row.rowNumber, row.cells, header, tenantFiscalCode);
    }
  }
  for await (const group of groupConsecutive(rows(), (r) => r.idDocumento)) {
    if (group.length > 1 && isInstallmentPlan(group.map((r) => r.numeroRata))) yield documentRecord(group);
    else for (const r of group) yield singleRecord(r);
  }
}

function parseRow(rowNumber: number, cells: string[], header: Map<string, number>, tenantFiscalCode: string) {
  const cell: f.Cells = (name) => {
    const i = header.get(name);
    return i === undefined ? "" : (cells[i] ?? "").trim();
  };
  const echo = Object.fromEntries(GOVPAY_ECHO.map((c) => [c, cell(c)]));
  const base = {
    rowNumber,
    idPendenza: cell("idPendenza"),
    echo,
    idDocumento: cell("idDocumento") || undefined,
    numeroRata: cell("numeroRata"),
  };
  try {
    if (cells.length > header.size)
      throw new RowError("NUMERO_CAMPI", "riga", `La riga ha ${cells.length} campi, l'intestazione ${header.size}`);
    f.requiredText(cell("idA2A"), "idA2A", 35);
    f.requiredText(base.idPendenza, "idPendenza", 35);
    const amount = f.dottedAmount(cell("importo"), "importo", true);
    if (amount === 0) return { ...base, cancel: true };
    const dominio = f.requiredText(cell("idDominio"), "idDominio", 35);
    if (dominio !== tenantFiscalCode)
      throw new RowError("DOMINIO_NON_VALIDO", "idDominio", `idDominio ${dominio} non è il codice fiscale dell'ente`);
    const causale = f.requiredText(cell("causale"), "causale", 140);
    const nav = f.text(cell("numeroAvviso"), "numeroAvviso", 18);
    if (nav && !isValidNav(nav))
      throw new RowError("FORMATO_NON_VALIDO", "numeroAvviso", `numeroAvviso ${nav} non valido`);
    const due = cell("dataScadenza") ? f.dueDate(cell("dataScadenza"), "dataScadenza") : undefined;
    if (!due) throw new RowError("CAMPO_OBBLIGATORIO", "dataScadenza", "dataScadenza: campo obbligatorio");
    const transfers = voci(cell, causale);
    const sum = transfers.reduce((s, t) => s + t.amountCents, 0);
    if (sum !== amount)
      throw new RowError("IMPORTO_NON_VALIDO", "importo", "importo diverso dalla somma degli importi delle voci");
    const street = [cell("indirizzoPagatore"), cell("civicoPagatore")].filter(Boolean).join(" ");
    const position: PositionDraft = {
      paymentTypeCode: f.requiredText(cell("tipoPendenza"), "tipoPendenza", 35),
      debtor: {
        type: f.debtorType(cell("tipoSoggettoPagatore"), "tipoSoggettoPagatore"),
        fiscalCode: f.fiscalCode(cell("identificativoPagatore"), "identificativoPagatore"),
        name: f.requiredText(cell("anagraficaPagatore"), "anagraficaPagatore", 70),
        email: f.email(cell("emailPagatore"), "emailPagatore"),
        address: f.text(street, "indirizzoPagatore", 140),
        postalCode: f.text(cell("capPagatore"), "capPagatore", 16),
        city: f.text(cell("localitaPagatore"), "localitaPagatore", 35),
        province: f.province(cell("provinciaPagatore"), "provinciaPagatore"),
      },
      subject: causale,
      options: [],
      data: {
        govpay: {
          idA2A: cell("idA2A"),
          annoRiferimento: cell("annoRiferimento") || undefined,
          cartellaPagamento: cell("cartellaPagamento") || undefined,
          datiAllegati: cell("datiAllegati") || undefined,
          idDocumento: base.idDocumento,
          descrizioneDocumento: cell("descrizioneDocumento") || undefined,
          numeroRata: base.numeroRata || undefined,
          linguaSecondaria: cell("linguaSecondaria") || undefined,
        },
      },
    };
    const option: OptionDraft = { kind: "SINGLE", rowNumber, amountCents: amount, dueDate: due, nav, transfers };
    return { ...base, cancel: false, position, option };
  } catch (err) {
    if (err instanceof RowError) return { ...base, cancel: false, issue: err };
    throw err;
  }
}

/** Voci 1..5: an IBAN, a digital stamp, or neither (then the payment type's own accounts). */
function voci(cell: f.Cells, causale: string): TransferDraft[] {
  const out: TransferDraft[] = [];
  for (let n = 1; n <= 5; n++) {
    const id = cell(`idVoce${n}`);
    const amount = cell(`importoVoce${n}`);
    if (!id && !amount) continue;
    const amountCents = f.dottedAmount(amount, `importoVoce${n}`);
    const bollo = cell(`tipoBolloVoce${n}`);
    const metadata = [
      ["idVoce", id],
      ["tipoContabilita", cell(`tipoContabilitaVoce${n}`)],
      ["codiceContabilita", cell(`codiceContabilitaVoce${n}`)],
      ["ibanAppoggio", cell(`ibanAppoggioVoce${n}`)],
    ]
      .filter(([, v]) => v)
      .map(([key, value]) => ({ key: key!, value: value!.slice(0, 140) }));
    const remittanceText = f.text(cell(`descrizioneVoce${n}`), `descrizioneVoce${n}`, 140) ?? causale;
    if (bollo) {
      out.push({
        amountCents,
        remittanceText,
        metadata,
        stamp: {
          type: f.requiredText(bollo, `tipoBolloVoce${n}`, 2),
          documentHash: f.requiredText(cell(`hashBolloVoce${n}`), `hashBolloVoce${n}`, 72),
          province: f.province(cell(`provinciaBolloVoce${n}`), `provinciaBolloVoce${n}`) ?? "",
        },
      });
      continue;
    }
    out.push({
      amountCents,
      remittanceText,
      metadata,
      iban: f.iban(cell(`ibanAccreditoVoce${n}`), `ibanAccreditoVoce${n}`),
    });
  }
  if (out.length === 0)
    throw new RowError("CAMPO_OBBLIGATORIO", "idVoce1", "serve almeno una voce (idVoce1, importoVoce1)");
  return out;
}

function singleRecord(r: ParsedRow): ImportRecord {
  const rows = [{ rowNumber: r.rowNumber, key: r.idPendenza, echo: r.echo }];
  const key = r.idPendenza;
  if (r.issue) return { rows, action: "upsert", key, columns: COLUMNS, issue: toIssue(r.issue) };
  if (r.cancel) return { rows, action: "cancel", key, columns: COLUMNS };
  return {
    rows,
    action: "upsert",
    key,
    columns: COLUMNS,
    position: { ...r.position!, options: [r.option!] },
  };
}

/** A document paid in one solution or in installments: one position, one NAV per row. */
function documentRecord(group: ParsedRow[]): ImportRecord {
  const rows = group.map((r) => ({ rowNumber: r.rowNumber, key: r.idPendenza, echo: r.echo }));
  const keys = group.map((r) => r.idPendenza);
  const base = { rows, action: "upsert" as const, key: keys[0]!, altKeys: keys, columns: COLUMNS };
  const bad = group.find((r) => r.issue);
  if (bad)
    return {
      ...base,
      issue: { ...toIssue(bad.issue!), message: `riga ${bad.rowNumber} del documento: ${bad.issue!.message}` },
    };
  if (group.some((r) => r.cancel))
    return {
      ...base,
      issue: {
        code: "DOCUMENTO_MISTO",
        column: "importo",
        message: "un documento non può annullare e caricare rate insieme",
      },
    };
  const ordered = [...group].sort((a, b) => Number(a.numeroRata || 0) - Number(b.numeroRata || 0));
  const first = ordered[0]!;
  const count = ordered.filter((r) => r.numeroRata).length;
  const options = ordered.map((r) => ({
    ...r.option!,
    kind: r.numeroRata ? ("INSTALLMENT" as const) : ("SINGLE" as const),
    description: r.numeroRata ? `Rata ${r.numeroRata} di ${count}` : "Unica soluzione",
  }));
  const govpay = (first.position!.data.govpay ?? {}) as Record<string, unknown>;
  return {
    ...base,
    position: {
      ...first.position!,
      subject: (govpay.descrizioneDocumento as string | undefined)?.slice(0, 140) ?? first.position!.subject,
      options,
      data: { ...first.position!.data, importKeys: keys, govpay: { ...govpay, numeroRata: undefined } },
    },
  };
}

const toIssue = (e: RowError) => ({ code: e.code, column: e.column, message: e.message });
