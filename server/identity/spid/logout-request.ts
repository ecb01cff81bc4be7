import { randomBytes } from "node:crypto";

export interface LogoutRequestOptions {
  spEntityId: string;
  idpEntityId: string;
  /** The IdP's SingleLogoutService URL (HTTP-Redirect binding). */
  idpSloUrl: string;
  /** The transient NameID and SessionIndex of the assertion that opened the session. */
  nameId: string;
  sessionIndex: string;
  now?: Date;
}

const esc = (s: string) =>
  s.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!);

/**
 * A LogoutRequest as the SPID technical rules want it: Issuer with entity Format and
 * NameQualifier (our entityID), the citizen's transient NameID qualified by the IdP's entityID,
 * and the SessionIndex of the assertion, so the IdP closes exactly the session it opened for us.
 * Sent unsigned here: the HTTP-Redirect binding signs the query (`redirectUrl`).
 */
export function buildLogoutRequest(o: LogoutRequestOptions): { id: string; issueInstant: string; xml: string } {
  const id = `_${randomBytes(20).toString("hex")}`; // xs:ID: must not start with a digit
  const issueInstant = (o.now ?? new Date()).toISOString().replace(/\.\d{3}Z$/, "Z");
  const xml =
    `<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"` +
    ` ID="${id}" Version="2.0" IssueInstant="${issueInstant}" Destination="${esc(o.idpSloUrl)}">` +
    `<saml:Issuer Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity" NameQualifier="${esc(o.spEntityId)}">${esc(o.spEntityId)}</saml:Issuer>` +
    `<saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:transient" NameQualifier="${esc(o.idpEntityId)}">${esc(o.nameId)}</saml:NameID>` +
    `<samlp:SessionIndex>${esc(o.sessionIndex)}</samlp:SessionIndex>` +
    `</samlp:LogoutRequest>`;
  return { id, issueInstant, xml };
}
