import { createVerify } from "node:crypto";
import { DOMParser } from "@xmldom/xmldom";

/**
 * What the SP reads of SAML messages, shared by the Response and LogoutResponse checks. Enveloped
 * signatures are verified by node-saml (saml-core.ts); the HTTP-Redirect query signature, which
 * node-saml checks only inside its own request handling, here.
 */
export const NS = {
  samlp: "urn:oasis:names:tc:SAML:2.0:protocol",
  saml: "urn:oasis:names:tc:SAML:2.0:assertion",
  ds: "http://www.w3.org/2000/09/xmldsig#",
};
export const ENTITY_FORMAT = "urn:oasis:names:tc:SAML:2.0:nameid-format:entity";
export const STATUS_SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success";

export const kids = (el: Element, ns: string, name: string): Element[] =>
  Array.from(el.childNodes as unknown as ArrayLike<Node>).filter(
    (n): n is Element => n.nodeType === 1 && (n as Element).namespaceURI === ns && (n as Element).localName === name,
  );
export const kid = (el: Element, ns: string, name: string) => kids(el, ns, name)[0];
export const text = (el: Element | undefined) => el?.textContent?.trim() ?? "";

/** Parses a SAML message; null for a DOCTYPE (entity expansion) or anything not well-formed. */
export function parseSamlXml(xml: string): Document | null {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) return null;
  let failed = false;
  const onError = (level: string) => {
    if (level !== "warning") failed = true;
  };
  const doc = new DOMParser({ onError } as never).parseFromString(xml, "text/xml") as unknown as Document;
  return failed || !doc?.documentElement ? null : doc;
}

const QUERY_SIG_ALGS: Record<string, string> = {
  "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256": "RSA-SHA256",
  "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384": "RSA-SHA384",
  "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512": "RSA-SHA512",
};

/**
 * The HTTP-Redirect binding's detached signature (SAML bindings 3.4.4.1) verifies with one of the
 * certificates. It covers the parameters exactly as they were encoded on the wire, in the order
 * message, RelayState, SigAlg, so the raw query is used, never re-encoded values. SHA-1 is refused.
 */
export function querySignedBy(
  rawQuery: string,
  param: "SAMLRequest" | "SAMLResponse",
  certificates: string[],
): boolean {
  const raw = new Map<string, string>();
  for (const part of rawQuery.split("&")) {
    const eq = part.indexOf("=");
    if (eq > 0 && !raw.has(part.slice(0, eq))) raw.set(part.slice(0, eq), part.slice(eq + 1));
  }
  const sigAlg = raw.get("SigAlg");
  const signature = raw.get("Signature");
  const algorithm = sigAlg === undefined ? undefined : QUERY_SIG_ALGS[decodeURIComponent(sigAlg)];
  if (!algorithm || !signature || !raw.has(param)) return false;
  const signed = [param, "RelayState", "SigAlg"]
    .filter((k) => raw.has(k))
    .map((k) => `${k}=${raw.get(k)}`)
    .join("&");
  const bytes = Buffer.from(decodeURIComponent(signature.replace(/\+/g, "%20")), "base64");
  return certificates.some((cert) => {
    try {
      return createVerify(algorithm).update(signed).verify(cert, bytes);
    } catch {
      return false;
    }
  });
}
