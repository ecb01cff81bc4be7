import { inflateRawSync } from "node:zlib";
import { SpidRequestError } from "./spid-errors.ts";
import type { ServiceProvider, SpRegistry } from "./sp-registry.ts";
import { NS, child, parseXml, verifyEnvelopedRoot, verifyRedirectSignature } from "./xml.ts";

/** A SAML protocol message as it arrived on one of the two bindings. */
export interface IncomingMessage {
  binding: "redirect" | "post";
  /** The raw query string (redirect binding), needed to verify the detached signature. */
  rawQuery: string;
  /** Decoded parameters: query string for redirect, form body for post. */
  params: Record<string, unknown>;
  /** Parameters found on the "other" side (body on GET, query on POST): a sign of a wrong method. */
  otherSide: Record<string, unknown>;
}

export interface DecodedMessage {
  xml: string;
  doc: Document;
  root: Element;
  relayState?: string;
}

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/**
 * Decodes SAMLRequest from the binding it came on (deflate+base64 on redirect, base64 on post),
 * mapping binding faults to SPID codes 4 and 6 and unparseable XML to 8.
 */
export function decodeMessage(msg: IncomingMessage, param: "SAMLRequest"): DecodedMessage {
  const value = str(msg.params[param]);
  if (!value) {
    if (str(msg.otherSide[param]))
      throw new SpidRequestError(6, `${param} sent on the wrong HTTP method for this binding`);
    throw new SpidRequestError(4, `${param} parameter missing`);
  }
  if (msg.binding === "post" && (msg.params.SigAlg !== undefined || msg.params.Signature !== undefined)) {
    throw new SpidRequestError(6, "HTTP-Redirect signature parameters sent with HTTP-POST");
  }
  let xml: string;
  try {
    const bytes = Buffer.from(value, "base64");
    xml = (msg.binding === "redirect" ? inflateRawSync(bytes) : bytes).toString("utf8");
  } catch {
    throw new SpidRequestError(4, `${param} is not valid ${msg.binding === "redirect" ? "deflate+" : ""}base64`);
  }
  const doc = parseXml(xml);
  if (!doc) throw new SpidRequestError(8, "message is not well-formed XML (or carries a DOCTYPE)");
  return { xml, doc, root: doc.documentElement, relayState: str(msg.params.RelayState) };
}

/**
 * Finds the SP from the message's saml:Issuer, which SPID wants with Format entity and a
 * NameQualifier (code 10), then checks the signature with the SP's metadata certificates:
 * a missing or unusable signature is code 7, one that does not verify is code 5.
 */
export function authenticateSender(
  msg: IncomingMessage,
  decoded: DecodedMessage,
  registry: SpRegistry,
): ServiceProvider {
  const issuer = child(decoded.root, NS.saml, "Issuer");
  const entityId = issuer?.textContent?.trim();
  if (!issuer || !entityId) throw new SpidRequestError(10, "Issuer missing");
  if (issuer.getAttribute("Format") !== "urn:oasis:names:tc:SAML:2.0:nameid-format:entity") {
    throw new SpidRequestError(10, "Issuer Format must be urn:oasis:names:tc:SAML:2.0:nameid-format:entity");
  }
  if (!issuer.getAttribute("NameQualifier")) throw new SpidRequestError(10, "Issuer NameQualifier missing");
  const sp = registry.get(entityId);
  if (!sp) throw new SpidRequestError(10, `Issuer ${entityId} is not a registered service provider`);

  if (msg.binding === "redirect") {
    const outcome = verifyRedirectSignature(msg.rawQuery, "SAMLRequest", sp.signingCertificates);
    if (outcome === "missing") throw new SpidRequestError(7, "SigAlg or Signature query parameter missing");
    if (outcome === "bad-alg")
      throw new SpidRequestError(7, "SigAlg not allowed (SPID requires RSA-SHA256 or stronger)");
    if (outcome === "invalid")
      throw new SpidRequestError(5, "request signature does not verify with the SP metadata certificate");
  } else {
    const outcome = verifyEnvelopedRoot(decoded.xml, decoded.doc, sp.signingCertificates);
    if (!outcome.ok && outcome.reason === "missing") throw new SpidRequestError(7, "enveloped ds:Signature missing");
    if (!outcome.ok && outcome.reason === "bad-alg")
      throw new SpidRequestError(7, "signature or digest algorithm not allowed (SPID requires SHA-256 or stronger)");
    if (!outcome.ok)
      throw new SpidRequestError(5, "request signature does not verify with the SP metadata certificate");
  }
  return sp;
}

const ID_PATTERN = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const INSTANT_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

/** Checks the attributes every SPID request carries: Version (9), ID (11), IssueInstant (13), Destination (14). */
export function checkCommonAttributes(
  root: Element,
  acceptedDestinations: string[],
  now: Date,
  window: { maxAgeMs: number; skewMs: number },
): { id: string; issueInstant: Date } {
  if (root.getAttribute("Version") !== "2.0") throw new SpidRequestError(9, "Version must be 2.0");
  const id = root.getAttribute("ID") ?? "";
  if (!ID_PATTERN.test(id)) throw new SpidRequestError(11, "ID missing or not an xs:ID");
  const instantText = root.getAttribute("IssueInstant") ?? "";
  const issueInstant = new Date(instantText);
  if (!INSTANT_PATTERN.test(instantText) || Number.isNaN(issueInstant.getTime())) {
    throw new SpidRequestError(13, "IssueInstant missing or not a UTC xs:dateTime");
  }
  const age = now.getTime() - issueInstant.getTime();
  if (age > window.maxAgeMs) throw new SpidRequestError(13, "IssueInstant too old");
  if (age < -window.skewMs) throw new SpidRequestError(13, "IssueInstant in the future");
  const destination = root.getAttribute("Destination");
  if (!destination || !acceptedDestinations.includes(destination)) {
    throw new SpidRequestError(14, `Destination must be one of ${acceptedDestinations.join(", ")}`);
  }
  return { id, issueInstant };
}
