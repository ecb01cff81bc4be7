import { createVerify } from "node:crypto";
import { DOMParser, XMLSerializer } from "@xmldom/xmldom";
import { SignedXml } from "xml-crypto";

export const NS = {
  samlp: "urn:oasis:names:tc:SAML:2.0:protocol",
  saml: "urn:oasis:names:tc:SAML:2.0:assertion",
  md: "urn:oasis:names:tc:SAML:2.0:metadata",
  ds: "http://www.w3.org/2000/09/xmldsig#",
} as const;

export const ALG = {
  rsaSha256: "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
  sha256: "http://www.w3.org/2001/04/xmlenc#sha256",
  excC14n: "http://www.w3.org/2001/10/xml-exc-c14n#",
  enveloped: "http://www.w3.org/2000/09/xmldsig#enveloped-signature",
  // Forbidden by the SPID profile; only for the test scenario that checks SPs refuse it.
  rsaSha1: "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
  sha1: "http://www.w3.org/2000/09/xmldsig#sha1",
} as const;

/** RSA signature algorithms SPID accepts on requests (SHA-1 is forbidden by the AgID profile). */
export const ALLOWED_SIG_ALGS: Record<string, string> = {
  "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256": "RSA-SHA256",
  "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384": "RSA-SHA384",
  "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512": "RSA-SHA512",
};

/** Escapes text for XML content and attribute values. */
export function esc(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/**
 * Parses XML, refusing what a SAML endpoint must refuse: parse errors and DOCTYPE (entity
 * expansion attacks). Returns null when the input is not acceptable.
 */
export function parseXml(xml: string): Document | null {
  if (/<!DOCTYPE/i.test(xml)) return null;
  let failed = false;
  const onError = () => {
    failed = true;
  };
  const doc = new DOMParser({ onError } as never).parseFromString(xml, "text/xml");
  if (failed || !doc?.documentElement || doc.getElementsByTagName("parsererror").length > 0) return null;
  return doc as unknown as Document;
}

export function serialize(node: Node): string {
  return new XMLSerializer().serializeToString(node as never);
}

/** Direct element children of `parent` with the given namespace and local name. */
export function children(parent: Element, ns: string, localName: string): Element[] {
  const out: Element[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && (n as Element).localName === localName && (n as Element).namespaceURI === ns)
      out.push(n as Element);
  }
  return out;
}

export function child(parent: Element, ns: string, localName: string): Element | undefined {
  return children(parent, ns, localName)[0];
}

/** All descendant elements with the given namespace and local name. */
export function descendants(parent: Element | Document, ns: string, localName: string): Element[] {
  return Array.from(parent.getElementsByTagNameNS(ns, localName));
}

/**
 * Signs the element with the given ID (enveloped, exclusive c14n, RSA-SHA256). The ds:Signature
 * goes right after the element's saml:Issuer, as SAML core and the SPID profile require for
 * protocol messages and assertions, or first in the element (metadata has no Issuer).
 */
export function signElement(
  xml: string,
  id: string,
  privateKeyPem: string,
  certificatePem: string,
  placement: "after-issuer" | "first" = "after-issuer",
  weak = false,
): string {
  const sig = new SignedXml({
    privateKey: privateKeyPem,
    publicCert: certificatePem,
    signatureAlgorithm: weak ? ALG.rsaSha1 : ALG.rsaSha256,
    canonicalizationAlgorithm: ALG.excC14n,
  });
  const target = `//*[@ID='${id}']`;
  // A test scenario may have removed the Issuer: then the signature goes first.
  if (placement === "after-issuer" && !new RegExp(`ID="${id}"[^>]*>\\s*<(\\w+:)?Issuer[\\s>]`).test(xml))
    placement = "first";
  sig.addReference({
    xpath: target,
    digestAlgorithm: weak ? ALG.sha1 : ALG.sha256,
    transforms: [ALG.enveloped, ALG.excC14n],
  });
  sig.computeSignature(xml, {
    prefix: "ds",
    location:
      placement === "first"
        ? { reference: target, action: "prepend" }
        : { reference: `${target}/*[local-name(.)='Issuer']`, action: "after" },
  });
  return sig.getSignedXml();
}

export type EnvelopedCheck = { ok: true } | { ok: false; reason: "missing" | "bad-alg" | "invalid" };

const STRONG_DIGESTS = new Set([
  "http://www.w3.org/2001/04/xmlenc#sha256",
  "http://www.w3.org/2001/04/xmldsig-more#sha384",
  "http://www.w3.org/2001/04/xmlenc#sha512",
]);

/**
 * Verifies the enveloped signature of the document element against one of the trusted
 * certificates. Only a signature that is a direct child of the root and references the root by
 * its ID counts, so a signature over some other (wrapped) element cannot vouch for the request.
 */
export function verifyEnvelopedRoot(xml: string, doc: Document, certificatesPem: string[]): EnvelopedCheck {
  const root = doc.documentElement;
  const signature = child(root, NS.ds, "Signature");
  if (!signature) return { ok: false, reason: "missing" };
  const id = root.getAttribute("ID");
  const refs = descendants(signature, NS.ds, "Reference");
  if (!id || refs.length !== 1 || refs[0]?.getAttribute("URI") !== `#${id}`) return { ok: false, reason: "invalid" };
  // xml-crypto still accepts SHA-1, which the SPID profile forbids.
  const signatureMethod = descendants(signature, NS.ds, "SignatureMethod")[0]?.getAttribute("Algorithm") ?? "";
  const digestMethod = descendants(signature, NS.ds, "DigestMethod")[0]?.getAttribute("Algorithm") ?? "";
  if (!ALLOWED_SIG_ALGS[signatureMethod] || !STRONG_DIGESTS.has(digestMethod)) return { ok: false, reason: "bad-alg" };
  for (const cert of certificatesPem) {
    const sig = new SignedXml({ publicCert: cert });
    try {
      sig.loadSignature(signature);
      if (sig.checkSignature(xml)) return { ok: true };
    } catch {
      // A malformed signature or duplicated IDs: treat as invalid, try the next certificate.
    }
  }
  return { ok: false, reason: "invalid" };
}

/**
 * Verifies an HTTP-Redirect binding signature (SAML bindings §3.4.4.1): the signed octets are the
 * query parameters exactly as received, URL-encoded, in the order SAMLRequest|SAMLResponse,
 * RelayState, SigAlg.
 */
export function verifyRedirectSignature(
  rawQuery: string,
  messageParam: "SAMLRequest" | "SAMLResponse",
  certificatesPem: string[],
): "ok" | "missing" | "bad-alg" | "invalid" {
  const raw = new Map<string, string>();
  for (const part of rawQuery.split("&")) {
    const eq = part.indexOf("=");
    if (eq > 0) raw.set(part.slice(0, eq), part.slice(eq + 1));
  }
  const sigAlgRaw = raw.get("SigAlg");
  const signatureRaw = raw.get("Signature");
  if (!sigAlgRaw || !signatureRaw) return "missing";
  const nodeAlg = ALLOWED_SIG_ALGS[decodeURIComponent(sigAlgRaw)];
  if (!nodeAlg) return "bad-alg";
  const signed = [messageParam, "RelayState", "SigAlg"]
    .filter((k) => raw.has(k))
    .map((k) => `${k}=${raw.get(k)}`)
    .join("&");
  const signature = Buffer.from(decodeURIComponent(signatureRaw.replace(/\+/g, "%20")), "base64");
  for (const cert of certificatesPem) {
    try {
      if (createVerify(nodeAlg).update(signed).verify(cert, signature)) return "ok";
    } catch {
      // Unusable certificate: try the next one.
    }
  }
  return "invalid";
}
