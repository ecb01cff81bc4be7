import { createSign, randomBytes } from "node:crypto";
import { deflateRawSync } from "node:zlib";

export type SpidLevel = 1 | 2 | 3;

export interface AuthnRequestOptions {
  spEntityId: string;
  /** The IdP's SingleSignOnService URL (HTTP-Redirect binding). */
  idpSsoUrl: string;
  level: SpidLevel;
  /** AssertionConsumerService index in our metadata (0: the HTTP-POST ACS). */
  acsIndex?: number;
  /** AttributeConsumingService index in our metadata: the attributes we ask for. */
  attributeIndex: number;
  now?: Date;
}

const esc = (s: string) =>
  s.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!);

/**
 * An AuthnRequest as the SPID technical rules want it: Issuer with entity Format and
 * NameQualifier, transient NameIDPolicy, RequestedAuthnContext `minimum` SpidL<level>,
 * ForceAuthn for level 2 and 3 (a new authentication, never an IdP session's), ACS and
 * AttributeConsumingService by index (both must be in our metadata), Destination the SSO URL.
 */
export function buildAuthnRequest(o: AuthnRequestOptions): { id: string; issueInstant: string; xml: string } {
  const id = `_${randomBytes(20).toString("hex")}`; // xs:ID: must not start with a digit
  const issueInstant = (o.now ?? new Date()).toISOString().replace(/\.\d{3}Z$/, "Z");
  const xml =
    `<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"` +
    ` ID="${id}" Version="2.0" IssueInstant="${issueInstant}" Destination="${esc(o.idpSsoUrl)}"` +
    (o.level >= 2 ? ` ForceAuthn="true"` : "") +
    ` AssertionConsumerServiceIndex="${o.acsIndex ?? 0}" AttributeConsumingServiceIndex="${o.attributeIndex}">` +
    `<saml:Issuer Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity" NameQualifier="${esc(o.spEntityId)}">${esc(o.spEntityId)}</saml:Issuer>` +
    `<samlp:NameIDPolicy Format="urn:oasis:names:tc:SAML:2.0:nameid-format:transient"/>` +
    `<samlp:RequestedAuthnContext Comparison="minimum"><saml:AuthnContextClassRef>https://www.spid.gov.it/SpidL${o.level}</saml:AuthnContextClassRef></samlp:RequestedAuthnContext>` +
    `</samlp:AuthnRequest>`;
  return { id, issueInstant, xml };
}

const RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";

/**
 * The HTTP-Redirect URL carrying a request (AuthnRequest or LogoutRequest): deflated, base64,
 * with RelayState, and the query signed with the SP key (RSA-SHA256) as the binding specifies
 * (the signature covers the exact encoded SAMLRequest, RelayState and SigAlg, in that order).
 */
export function redirectUrl(idpUrl: string, xml: string, keyPem: string, relayState?: string): string {
  let query = `SAMLRequest=${encodeURIComponent(deflateRawSync(Buffer.from(xml, "utf8")).toString("base64"))}`;
  if (relayState) query += `&RelayState=${encodeURIComponent(relayState)}`;
  query += `&SigAlg=${encodeURIComponent(RSA_SHA256)}`;
  const signature = createSign("RSA-SHA256").update(query).sign(keyPem, "base64");
  return `${idpUrl}${idpUrl.includes("?") ? "&" : "?"}${query}&Signature=${encodeURIComponent(signature)}`;
}
