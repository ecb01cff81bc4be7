import { XMLParser } from "fast-xml-parser";

export const PA_FOR_NODE_NS = "http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd";

/** Escapes text for an XML element. */
export const esc = (v: string | number | boolean) =>
  String(v).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** `<name>value</name>`, or nothing for an absent value. */
export const el = (name: string, value: string | number | boolean | undefined | null) =>
  value === undefined || value === null || value === "" ? "" : `<${name}>${esc(value)}</${name}>`;

/** A SOAP 1.1 envelope with the paForNode namespace bound to `pafn`, as the Nodo sends it. */
export function envelope(body: string, header = ""): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:pafn="${PA_FOR_NODE_NS}">` +
    `<soapenv:Header>${header}</soapenv:Header><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`
  );
}

/** Our station's optional header carrying the activation's payment token (the project's WSDL). */
export const paymentTokenHeader = (token: string) =>
  `<st:paymentToken xmlns:st="urn:pontepa:nodo:station:1">${esc(token)}</st:paymentToken>`;

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  // The Nodo reads text as XML defines it: "D&apos;Angelo &amp; Figli" is "D'Angelo & Figli".
  // Left encoded, a name would be escaped a second time in the receipt we send back, and every
  // document printed from that receipt would show the entities. Safe: DTDs are refused below,
  // so only XML's own five entities and character references exist.
  processEntities: true,
  htmlEntities: true,
  isArray: (name) => name === "transfer" || name === "metadata" || name === "mapEntry",
});

/**
 * The first element of the SOAP Body as plain data, with its name, text decoded. A DTD is
 * refused: the station is a party we test, not one we trust.
 */
export function parseBody(xml: string): { element: string; payload: Record<string, unknown> } {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new Error("the answer carries a DTD");
  const doc = parser.parse(xml) as Record<string, Record<string, Record<string, unknown>>>;
  const body = doc.Envelope?.Body;
  if (!body) throw new Error("the answer is not a SOAP envelope");
  const [element, payload] = Object.entries(body)[0] ?? [];
  if (!element) throw new Error("the SOAP body is empty");
  return { element, payload: (payload ?? {}) as Record<string, unknown> };
}
