import { XMLParser, XMLValidator } from "fast-xml-parser";
import { refuseDtd, toPlain } from "../station/envelope.ts";

/** Largest decoded `datiSpecificiServizioRequest` accepted (service data is a few fields). */
export const MAX_SERVICE_DATA_BYTES = 16_384;

/** The service data of a demand is not what its catalogue XSD describes. */
export class ServiceDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ServiceDataError";
  }
}

export interface ServiceDocument {
  root: string;
  namespace: string | null;
  content: unknown;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  parseTagValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  htmlEntities: true,
  jPath: false,
  maxNestedTags: 20,
});

/**
 * Decodes and parses the base64 service data with the same defences as the envelope: size
 * bound, strict UTF-8, no DTD or entities, well-formedness checked before parsing.
 * @throws ServiceDataError
 */
export function parseServiceData(base64: string): ServiceDocument {
  const compact = base64.replace(/\s+/g, "");
  if (compact.length === 0 || compact.length > Math.ceil(MAX_SERVICE_DATA_BYTES / 3) * 4)
    throw new ServiceDataError("dati specifici assenti o troppo grandi");
  let xml: string;
  try {
    xml = new TextDecoder("utf-8", { fatal: true }).decode(Buffer.from(compact, "base64")).replace(/^\uFEFF/, "");
    refuseDtd(xml);
  } catch {
    throw new ServiceDataError("dati specifici non leggibili (UTF-8, senza DTD)");
  }
  if (XMLValidator.validate(xml) !== true) throw new ServiceDataError("dati specifici: XML non ben formato");
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(xml) as Record<string, unknown>;
  } catch {
    throw new ServiceDataError("dati specifici non leggibili");
  }
  const roots = Object.keys(doc).filter((k) => !k.startsWith("@_") && k !== "#text");
  if (roots.length !== 1) throw new ServiceDataError("dati specifici: serve un solo elemento radice");
  const rootName = roots[0]!;
  const node = doc[rootName] as Record<string, unknown> | string;
  const prefix = rootName.includes(":") ? rootName.slice(0, rootName.indexOf(":")) : "";
  const nsAttr = prefix ? `@_xmlns:${prefix}` : "@_xmlns";
  const namespace = typeof node === "object" && typeof node[nsAttr] === "string" ? (node[nsAttr] as string) : null;
  return { root: rootName.slice(rootName.indexOf(":") + 1), namespace, content: toPlain(node) };
}
