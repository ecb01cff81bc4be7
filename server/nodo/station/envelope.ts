import { XMLParser, XMLValidator } from "fast-xml-parser";

export const SOAP11_NS = "http://schemas.xmlsoap.org/soap/envelope/";
export const SOAP12_NS = "http://www.w3.org/2003/05/soap-envelope";
export const PA_FOR_NODE_NS = "http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd";
/** Namespace of the station's own optional SOAP header elements (see the project's WSDL). */
export const STATION_HEADER_NS = "urn:pontepa:nodo:station:1";

export type EnvelopeProblem = "DTD" | "MALFORMED" | "VERSION" | "NOT_SOAP" | "NO_BODY";

/** A request that is not a usable SOAP 1.1 envelope; answered with a SOAP Fault. */
export class EnvelopeError extends Error {
  constructor(
    readonly problem: EnvelopeProblem,
    message: string,
  ) {
    super(message);
    this.name = "EnvelopeError";
  }
}

export interface ParsedEnvelope {
  /** Local name of the Body's element (e.g. `paVerifyPaymentNoticeReq`). */
  element: string;
  namespace: string | null;
  /** The element's children as plain objects/strings, prefixes stripped. */
  payload: unknown;
  /** Text of Header elements in the station's header namespace, by local name. */
  headers: Record<string, string>;
}

// A DTD is never needed by a SOAP message (SOAP 1.1 forbids it) and is the door for XXE and
// entity-expansion bombs: refuse any sign of one before a parser sees the text.
const DTD_MARKERS = /<!\s*(DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)/i;

/** @throws EnvelopeError DTD when the text declares a DTD or entities. */
export function refuseDtd(xml: string): void {
  if (DTD_MARKERS.test(xml)) throw new EnvelopeError("DTD", "DTDs and entity declarations are not accepted");
}

// Elements the pagoPA schema repeats; everything else must appear at most once (a repeated
// single element becomes an array and fails validation, as it should).
const LISTS = new Set(["transfer", "mapEntry"]);
const local = (name: string) => name.slice(name.indexOf(":") + 1);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: true,
  // Decodes numeric character references (&#233;); named entities beyond XML's five cannot be
  // declared (no DTD), so at most a stray HTML name like &nbsp; is read as its character.
  htmlEntities: true,
  jPath: false,
  maxNestedTags: 40,
  isArray: (name) => LISTS.has(local(name)),
});

type Node = Record<string, unknown>;
type Scope = Node[];

function namespaceOf(qname: string, scope: Scope): string | null {
  const colon = qname.indexOf(":");
  const attr = colon < 0 ? "@_xmlns" : `@_xmlns:${qname.slice(0, colon)}`;
  for (let i = scope.length - 1; i >= 0; i--) {
    const value = scope[i]![attr];
    if (typeof value === "string") return value || null;
  }
  return null;
}

const elementKeys = (node: Node) => Object.keys(node).filter((k) => !k.startsWith("@_") && k !== "#text");
const asNode = (v: unknown): Node => (v && typeof v === "object" && !Array.isArray(v) ? (v as Node) : {});
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** Children as plain data: prefixes and attributes dropped, text kept as strings. */
export function toPlain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toPlain);
  if (value === null || typeof value !== "object") return value === undefined || value === null ? "" : String(value);
  const node = value as Node;
  const keys = elementKeys(node);
  if (keys.length === 0) return typeof node["#text"] === "string" ? node["#text"] : "";
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const name = local(key);
    // An element called __proto__ must not reach an object key: rename it so validation fails.
    out[FORBIDDEN_KEYS.has(name) ? `!${name}` : name] = toPlain(node[key]);
  }
  return out;
}

/**
 * Parses a SOAP 1.1 request. The caller has already refused DTDs (`refuseDtd`).
 * @throws EnvelopeError MALFORMED | VERSION | NOT_SOAP | NO_BODY
 */
export function parseEnvelope(xml: string): ParsedEnvelope {
  refuseDtd(xml);
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new EnvelopeError("MALFORMED", `Malformed XML: ${valid.err.msg} (line ${valid.err.line})`);
  let doc: Node;
  try {
    doc = asNode(parser.parse(xml));
  } catch (err) {
    // The parser refuses names such as __proto__ and nesting beyond maxNestedTags.
    throw new EnvelopeError("MALFORMED", `Unreadable XML: ${(err as Error).message}`);
  }
  const roots = elementKeys(doc);
  if (roots.length !== 1) throw new EnvelopeError("NOT_SOAP", "Expected exactly one root element");
  const envelope = asNode(doc[roots[0]!]);
  const scope: Scope = [envelope];
  const envNs = namespaceOf(roots[0]!, scope);
  if (local(roots[0]!) !== "Envelope" || envNs !== SOAP11_NS) {
    if (envNs === SOAP12_NS) throw new EnvelopeError("VERSION", "SOAP 1.2 is not supported: use SOAP 1.1");
    throw new EnvelopeError("NOT_SOAP", "Not a SOAP 1.1 Envelope");
  }
  let body: Node | null = null;
  let header: Node | null = null;
  for (const key of elementKeys(envelope)) {
    const child = envelope[key];
    if (Array.isArray(child) || namespaceOf(key, [...scope, asNode(child)]) !== SOAP11_NS) {
      throw new EnvelopeError("NOT_SOAP", `Unexpected element ${key} in the Envelope`);
    }
    if (local(key) === "Body") body = asNode(child);
    else if (local(key) === "Header") header = asNode(child);
    else throw new EnvelopeError("NOT_SOAP", `Unexpected element ${key} in the Envelope`);
  }
  if (!body) throw new EnvelopeError("NO_BODY", "The Envelope has no Body");
  const bodyScope = [...scope, body];
  const items = elementKeys(body);
  if (items.length !== 1 || Array.isArray(body[items[0]!]))
    throw new EnvelopeError("NO_BODY", "The Body must hold exactly one element");
  const operation = asNode(body[items[0]!]);
  return {
    element: local(items[0]!),
    namespace: namespaceOf(items[0]!, [...bodyScope, operation]),
    payload: toPlain(body[items[0]!]),
    headers: header ? stationHeaders(header, [...scope, header]) : {},
  };
}

function stationHeaders(header: Node, scope: Scope): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of elementKeys(header)) {
    const value = header[key];
    if (Array.isArray(value)) continue;
    if (namespaceOf(key, [...scope, asNode(value)]) !== STATION_HEADER_NS) continue;
    const text = toPlain(value);
    if (typeof text === "string" && !FORBIDDEN_KEYS.has(local(key))) out[local(key)] = text;
  }
  return out;
}
