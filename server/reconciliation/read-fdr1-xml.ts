import { XMLParser } from "fast-xml-parser";
import { z } from "zod";
import {
  decimalTextToCents,
  KNOWN_OUTCOME_CODES,
  placeholderIn,
  ReportingFormatError,
  romeLocalToInstant,
  type ListedFlow,
  type OutcomeCode,
  type ReportingDocument,
  type ReportingFlowData,
} from "./reporting-document.ts";

const FDR1_NAMESPACE = "http://www.digitpa.gov.it/schemas/2011/Pagamenti/";

// Entities off and no DTDs (refused before parsing): a flow comes from outside.
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  removeNSPrefix: true,
  parseTagValue: false,
  processEntities: false,
  trimValues: true,
  isArray: (name) => name === "datiSingoliPagamenti" || name === "idRendicontazione",
});

const text = (max: number) => z.string().min(1).max(max);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "YYYY-MM-DD");
const isoDateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$/, "YYYY-MM-DDThh:mm:ss");

// Mirrors the constraints of FlussoRiversamento_1_0_4/1_0_5.xsd that the reader relies on.
const rowSchema = z.object({
  identificativoUnivocoVersamento: text(35),
  identificativoUnivocoRiscossione: text(35),
  indiceDatiSingoloPagamento: z
    .string()
    .regex(/^[1-5]$/, "1 to 5")
    .optional(),
  singoloImportoPagato: z.string(),
  codiceEsitoSingoloPagamento: z.string().regex(/^\d$/, "one digit"),
  dataEsitoSingoloPagamento: isoDate,
});
const flowSchema = z.object({
  versioneOggetto: text(16),
  identificativoFlusso: text(35),
  dataOraFlusso: isoDateTime,
  identificativoUnivocoRegolamento: text(35),
  dataRegolamento: isoDate,
  istitutoMittente: z.object({
    identificativoUnivocoMittente: z.object({
      tipoIdentificativoUnivoco: text(1),
      codiceIdentificativoUnivoco: text(35),
    }),
  }),
  istitutoRicevente: z.object({
    identificativoUnivocoRicevente: z.object({
      tipoIdentificativoUnivoco: text(1),
      codiceIdentificativoUnivoco: text(35),
    }),
  }),
  numeroTotalePagamenti: z.string().regex(/^\d{1,15}$/),
  importoTotalePagamenti: z.string(),
  datiSingoliPagamenti: z.array(rowSchema).min(1),
});

type Node = Record<string, unknown>;

/** Parses XML refusing DTDs and entity declarations (billion laughs, external entities). */
export function parseXml(xml: string): Node {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new ReportingFormatError("DTDs and entity declarations are refused");
  try {
    return parser.parse(xml, true) as Node;
  } catch (err) {
    throw new ReportingFormatError(`not well-formed XML: ${(err as Error).message.split("\n")[0]}`);
  }
}

/**
 * Reads an FdR 1 document: a bare FlussoRiversamento, or the nodeForPa SOAP messages that carry
 * one (nodoChiediFlussoRendicontazioneRisposta, nodoInviaFlussoRendicontazione: base64
 * xmlRendicontazione) or list them (nodoChiediElencoFlussiRendicontazioneRisposta). The version
 * is read from the document (root element, namespace, versioneOggetto), never assumed.
 */
export function readFdr1Xml(xml: string): ReportingDocument {
  const doc = parseXml(xml);
  const envelope = doc.Envelope as Node | undefined;
  if (envelope) return readSoap((envelope.Body ?? {}) as Node);
  if (doc.FlussoRiversamento)
    return { kind: "flow", flow: readFlussoRiversamento(doc.FlussoRiversamento as Node, xml) };
  const root = Object.keys(doc).find((k) => !k.startsWith("?")) ?? "(none)";
  throw new ReportingFormatError(`root element ${root} is not a FlussoRiversamento nor a nodeForPa message`);
}

function readSoap(body: Node): ReportingDocument {
  const [operation, message] = Object.entries(body)[0] ?? [];
  if (!operation || typeof message !== "object" || message === null) throw new ReportingFormatError("empty SOAP body");
  const m = message as Node;
  const fault = m.fault as Node | undefined;
  if (fault)
    throw new ReportingFormatError(
      `the Nodo answered with fault ${String(fault.faultCode)}: ${String(fault.faultString ?? "")}`,
    );
  if (operation === "nodoChiediElencoFlussiRendicontazioneRisposta") {
    const list = m.elencoFlussiRendicontazione;
    // totRestituiti is required by nodeForPa.xsd: an answer without it is not a list.
    if (typeof list !== "object" || list === null || !/^\d+$/.test(String((list as Node).totRestituiti ?? "")))
      throw new ReportingFormatError("elencoFlussiRendicontazione without totRestituiti");
    const items = ((list as Node).idRendicontazione ?? []) as Node[];
    const flows: ListedFlow[] = items.map((i) => ({
      flowId: text(35).parse(i.identificativoFlusso),
      pspId: null,
      revision: 1,
      flowDate: i.dataOraFlusso ? romeLocalToInstant(String(i.dataOraFlusso)) : null,
    }));
    return { kind: "flow-list", flows };
  }
  if (operation === "nodoChiediFlussoRendicontazioneRisposta" || operation === "nodoInviaFlussoRendicontazione") {
    const b64 = m.xmlRendicontazione;
    if (typeof b64 !== "string" || !/^[A-Za-z0-9+/=\s]+$/.test(b64))
      throw new ReportingFormatError(`${operation} carries no base64 xmlRendicontazione`);
    const innerXml = Buffer.from(b64, "base64").toString("utf8");
    const inner = parseXml(innerXml);
    if (!inner.FlussoRiversamento) throw new ReportingFormatError("xmlRendicontazione is not a FlussoRiversamento");
    return { kind: "flow", flow: readFlussoRiversamento(inner.FlussoRiversamento as Node, innerXml) };
  }
  throw new ReportingFormatError(`SOAP operation ${operation} is not a reporting-flow message`);
}

function readFlussoRiversamento(node: Node, xml: string): ReportingFlowData {
  // The parser drops prefixes and xmlns declarations, so the namespace is read from the start tag.
  const start = /<(?:([\w.-]+):)?FlussoRiversamento\b([^>]*)>/.exec(xml);
  const declared = start && new RegExp(`xmlns${start[1] ? `:${start[1]}` : ""}="([^"]*)"`).exec(start[2]!)?.[1];
  if (declared !== FDR1_NAMESPACE)
    throw new ReportingFormatError(`FlussoRiversamento in namespace "${declared ?? ""}", not ${FDR1_NAMESPACE}`);
  const placeholder = placeholderIn(JSON.stringify(node));
  if (placeholder) throw new ReportingFormatError(`a template, not a flow: placeholder ${placeholder}`);
  const parsed = flowSchema.safeParse(node);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ReportingFormatError(`FlussoRiversamento field ${issue.path.join(".")}: ${issue.message}`);
  }
  const f = parsed.data;
  if (f.versioneOggetto !== "1.0")
    throw new ReportingFormatError(`versioneOggetto ${f.versioneOggetto} is not supported (1.0 is)`);
  const rows = f.datiSingoliPagamenti.map((r, i) => {
    const code = Number(r.codiceEsitoSingoloPagamento);
    if (!KNOWN_OUTCOME_CODES.includes(code))
      throw new ReportingFormatError(`row ${i + 1}: codiceEsitoSingoloPagamento ${code} is not 0, 3, 4, 8 or 9`);
    return {
      position: i + 1,
      iuv: r.identificativoUnivocoVersamento,
      iur: r.identificativoUnivocoRiscossione,
      // Optional in the XSD; a single-transfer payment omits it.
      transferIndex: Number(r.indiceDatiSingoloPagamento ?? 1),
      amountCents: decimalTextToCents(r.singoloImportoPagato, `row ${i + 1} singoloImportoPagato`),
      outcomeCode: code as OutcomeCode,
      outcomeDate: r.dataEsitoSingoloPagamento,
    };
  });
  const declaredCount = Number(f.numeroTotalePagamenti);
  const declaredTotalCents = decimalTextToCents(f.importoTotalePagamenti, "importoTotalePagamenti");
  const total = rows.reduce((s, r) => s + r.amountCents, 0);
  const warnings: string[] = [];
  if (declaredCount !== rows.length || declaredTotalCents !== total)
    warnings.push(
      `declared ${declaredCount} payments for ${declaredTotalCents} cents, rows are ${rows.length} for ${total} cents`,
    );
  return {
    format: `FDR1 FlussoRiversamento ${f.versioneOggetto}`,
    flowId: f.identificativoFlusso,
    pspId: f.istitutoMittente.identificativoUnivocoMittente.codiceIdentificativoUnivoco,
    revision: 1,
    // dataOraFlusso carries no zone: the Nodo writes it in Italian time.
    flowDate: romeLocalToInstant(f.dataOraFlusso),
    settlementId: f.identificativoUnivocoRegolamento,
    settlementDate: f.dataRegolamento,
    receiverFiscalCode: f.istitutoRicevente.identificativoUnivocoRicevente.codiceIdentificativoUnivoco,
    declaredCount,
    declaredTotalCents,
    rows,
    warnings,
  };
}
