import { SAML, ValidateInResponseTo, type CacheProvider } from "@node-saml/node-saml";
// node-saml's own signature primitive (the one validatePostResponseAsync uses): one signature per
// element, exactly one reference, to that element, whose ID is unique in the document.
import { getVerifiedXml } from "@node-saml/node-saml/lib/xml.js";
import { NS, kid } from "./saml-xml.ts";

/**
 * The SAML protocol core, on @node-saml/node-saml (decision 0006): XML signature verification and
 * the wrapping checks, and for a Response the generic SAML checks node-saml makes. The SPID rules
 * (validate-response.ts, validate-logout-response.ts) are layered on top and read only what this
 * module says was signed.
 */

/** Signature algorithms the SPID profile allows: RSA with SHA-256 or stronger (never SHA-1). */
const SPID_SIGNATURE_ALGORITHMS = new Set([
  "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
  "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384",
  "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
]);
const SPID_DIGEST_ALGORITHMS = new Set([
  "http://www.w3.org/2001/04/xmlenc#sha256",
  "http://www.w3.org/2001/04/xmldsig-more#sha384",
  "http://www.w3.org/2001/04/xmlenc#sha512",
]);

/**
 * The SPID algorithm rule on the ds:Signature directly under `el`: node-saml (through xml-crypto)
 * still verifies RSA-SHA1 signatures and SHA-1 digests, which the SPID profile forbids.
 * @returns null when allowed (or when there is no signature: node-saml refuses that), else why not
 */
export function weakSignatureAlgorithm(el: Element): string | null {
  const signature = kid(el, NS.ds, "Signature");
  if (!signature) return null;
  const signedInfo = kid(signature, NS.ds, "SignedInfo");
  const method = signedInfo && kid(signedInfo, NS.ds, "SignatureMethod")?.getAttribute("Algorithm");
  const digests = signedInfo
    ? Array.from(signedInfo.getElementsByTagNameNS(NS.ds, "DigestMethod")).map((d) => d.getAttribute("Algorithm"))
    : [];
  if (!method || !SPID_SIGNATURE_ALGORITHMS.has(method)) return `signature algorithm ${method ?? "missing"}`;
  const weak = digests.find((d) => !d || !SPID_DIGEST_ALGORITHMS.has(d));
  if (digests.length === 0 || weak !== undefined) return `digest algorithm ${weak ?? "missing"}`;
  return null;
}

/**
 * The element carries an enveloped signature, verified by node-saml with one of the certificates,
 * referencing that element alone (no wrapping), with an algorithm SPID allows.
 * @returns the signed bytes (canonical XML of the element) or null
 */
export function verifiedElement(xml: string, el: Element, certificates: string[]): string | null {
  if (certificates.length === 0 || weakSignatureAlgorithm(el)) return null;
  try {
    return getVerifiedXml(xml, el, certificates);
  } catch {
    // node-saml throws on wrapping attempts (duplicated IDs, a reference to another element).
    return null;
  }
}

export interface CoreResponseContext {
  spEntityId: string;
  acsUrl: string;
  idpEntityId: string;
  idpCertificates: string[];
  /** The ID of our AuthnRequest: node-saml accepts an answer to this request only. */
  requestId: string;
  requestIssueInstant: string;
  skewMs: number;
}

/** Why node-saml refused a Response; `signature` when it is about who signed what. */
export class SamlCoreError extends Error {
  constructor(
    message: string,
    readonly signature: "response" | "assertion" | "wrapping" | null,
  ) {
    super(message);
    this.name = "SamlCoreError";
  }
}

/**
 * node-saml's Response validation, configured for SPID: both the Response and its one Assertion
 * signed by the IdP (wrapping refused), InResponseTo our request (in the Response and in
 * SubjectConfirmationData), Issuer the IdP, the Conditions and SubjectConfirmationData time
 * windows with our clock skew, Audience our entityID.
 * @returns the Assertion as node-saml verified it (the signed bytes, never the posted document)
 * @throws SamlCoreError
 */
export async function verifyResponseCore(samlResponse: string, ctx: CoreResponseContext): Promise<string> {
  // node-saml looks requests up in a cache; this one knows the single request being answered.
  const cacheProvider: CacheProvider = {
    saveAsync: () => Promise.resolve(null),
    getAsync: (key) => Promise.resolve(key === ctx.requestId ? ctx.requestIssueInstant : null),
    removeAsync: () => Promise.resolve(null),
  };
  const saml = new SAML({
    idpCert: ctx.idpCertificates,
    issuer: ctx.spEntityId,
    callbackUrl: ctx.acsUrl,
    audience: ctx.spEntityId,
    idpIssuer: ctx.idpEntityId,
    wantAuthnResponseSigned: true,
    wantAssertionsSigned: true,
    validateInResponseTo: ValidateInResponseTo.always,
    cacheProvider,
    acceptedClockSkewMs: ctx.skewMs,
  });
  let result: Awaited<ReturnType<SAML["validatePostResponseAsync"]>>;
  try {
    result = await saml.validatePostResponseAsync({ SAMLResponse: samlResponse });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const signature =
      message === "Invalid document signature"
        ? "response"
        : /ID cannot refer|Referenced node|Too many signatures|too many transforms|multiple assertions/.test(message)
          ? "wrapping"
          : /^Invalid signature/.test(message)
            ? "assertion"
            : null;
    throw new SamlCoreError(message, signature);
  }
  const assertionXml = result.profile?.getAssertionXml?.();
  if (!assertionXml) throw new SamlCoreError("no signed assertion", "assertion");
  return assertionXml;
}
