import { XMLParser } from "fast-xml-parser";
import {
  amountToCents,
  flowIdInDescription,
  isoDay,
  TreasuryFormatError,
  type TreasuryCreditData,
  type TreasuryDocument,
} from "./treasury-document.ts";

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  processEntities: false,
  trimValues: true,
  isArray: (name) => name === "informazioni_conto_evidenza" || name === "movimento_conto_evidenza",
});

type Node = Record<string, unknown>;
const str = (v: unknown) => (typeof v === "string" ? v : v == null ? "" : String(v));

/** Every element named `stato_*` (country codes) anywhere below `node`, with its value. */
function countryCodes(node: unknown, out: Array<[string, string]> = []): Array<[string, string]> {
  if (node && typeof node === "object")
    for (const [k, v] of Object.entries(node as Node)) {
      if (k.startsWith("stato_") && typeof v === "string") out.push([k, v]);
      else countryCodes(v, out);
    }
  return out;
}

/**
 * Reads a SIOPE+ OPI giornale di cassa (flusso_giornale_di_cassa). The version is told by the
 * document: 1.4 has data_inizio/fine_periodo_riferimento, 1.6.1 and later data_riferimento_GdC.
 * The credits are the movements ENTRATA ... ESEGUITO; the rest of the journal (payments out,
 * balances) is not the council's pagoPA income. What the OPI schemas constrain and the reader
 * relies on is checked, and the file refused when it does not hold.
 */
export function readOpiXml(xml: string): TreasuryDocument {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new TreasuryFormatError("DTDs and entity declarations are refused");
  let doc: Node;
  try {
    doc = parser.parse(xml, true) as Node;
  } catch (err) {
    throw new TreasuryFormatError(`not well-formed XML: ${(err as Error).message.split("\n")[0]}`);
  }
  const root = doc.flusso_giornale_di_cassa as Node | undefined;
  if (!root) throw new TreasuryFormatError("root element is not flusso_giornale_di_cassa (OPI giornale di cassa)");
  const placeholder = /\{[a-z_]+\}/.exec(xml)?.[0];
  if (placeholder) throw new TreasuryFormatError(`a template, not a journal: placeholder ${placeholder}`);
  let format: string;
  if ("data_inizio_periodo_riferimento" in root) {
    format = "OPI 1.4";
    const from = isoDay(str(root.data_inizio_periodo_riferimento));
    const to = isoDay(str(root.data_fine_periodo_riferimento));
    if (!from || !to) throw new TreasuryFormatError("OPI 1.4: periodo di riferimento without valid dates");
    if (from > to)
      throw new TreasuryFormatError(`OPI 1.4: the reference period starts (${from}) after it ends (${to})`);
  } else if ("data_riferimento_GdC" in root) {
    format = "OPI 1.6.1+";
    if (!isoDay(str(root.data_riferimento_GdC)))
      throw new TreasuryFormatError("OPI: data_riferimento_GdC is not a date");
  } else {
    throw new TreasuryFormatError("neither OPI 1.4 (periodo di riferimento) nor 1.6.1+ (data_riferimento_GdC)");
  }
  if (!str((root.testata_messaggio as Node | undefined)?.codice_ABI_BT).match(/^\d{5}$/))
    throw new TreasuryFormatError("testata_messaggio/codice_ABI_BT is not a 5-digit ABI code");
  const badCountry = countryCodes(root).find(([, v]) => !/^[A-Z]{2}$/.test(v));
  if (badCountry) throw new TreasuryFormatError(`${badCountry[0]} "${badCountry[1]}" is not a two-letter country code`);

  const credits: TreasuryCreditData[] = [];
  const rowErrors: TreasuryDocument["rowErrors"] = [];
  let row = 0;
  for (const account of (root.informazioni_conto_evidenza ?? []) as Node[])
    for (const m of (account.movimento_conto_evidenza ?? []) as Node[]) {
      row++;
      if (str(m.tipo_movimento) !== "ENTRATA" || str(m.tipo_operazione) !== "ESEGUITO") continue;
      const amountCents = /^\d+(\.\d{1,2})?$/.test(str(m.importo)) ? amountToCents(str(m.importo)) : null;
      const valueDate = isoDay(str(m.data_valuta_ente)) ?? isoDay(str(m.data_movimento));
      if (amountCents === null) {
        rowErrors.push({ row, reason: `importo "${str(m.importo)}" is not an amount` });
        continue;
      }
      if (!valueDate) {
        rowErrors.push({ row, reason: "no valid data_valuta_ente nor data_movimento" });
        continue;
      }
      const description = [str(m.causale), str((m.cliente as Node | undefined)?.anagrafica_cliente)]
        .filter(Boolean)
        .join(" — ");
      credits.push({
        valueDate,
        amountCents,
        description: str(m.causale),
        flowId: flowIdInDescription(description),
        bankReference: str(m.numero_bolletta_quietanza) || str(m.numero_documento) || null,
      });
    }
  return { format, credits, rowErrors };
}
