import { createSign } from "node:crypto";
import { deflateRawSync } from "node:zlib";
import { newId } from "./build-response.ts";
import { certificateBody, generateKeyPair, type KeyPair } from "./keys.ts";
import { BINDING } from "./sp-registry.ts";
import { ALG, NS, esc, signElement } from "./xml.ts";

/**
 * A minimal SPID service provider for tests (this IdP's own and, later, e2e): a key pair,
 * metadata, and AuthnRequest/LogoutRequest builders whose every field can be bent.
 */
export interface TestSp {
  entityId: string;
  acsUrl: string;
  sloUrl: string;
  keys: KeyPair;
  metadataXml: string;
  /** Attribute names of AttributeConsumingService index 0. */
  attributes: string[];
}

/** AuthnRequest fields; `null` removes the attribute or element, `undefined` keeps the valid default. */
export interface AuthnRequestFields {
  id?: string;
  version?: string | null;
  issueInstant?: string | null;
  destination?: string | null;
  issuer?: string;
  issuerFormat?: string | null;
  issuerNameQualifier?: string | null;
  level?: 1 | 2 | 3;
  classRef?: string;
  comparison?: string | null;
  requestedAuthnContext?: boolean;
  forceAuthn?: boolean | null;
  isPassive?: boolean;
  acsIndex?: number | null;
  acsUrl?: string | null;
  protocolBinding?: string | null;
  attributeIndex?: number | null;
  nameIdFormat?: string | null;
}

const attr = (name: string, value: string | null | undefined) =>
  value === null || value === undefined ? "" : ` ${name}="${esc(value)}"`;

/** Creates an SP with a fresh node-forge key pair and SPID-shaped metadata (ACS index 0, attributes index 0 and 1). */
export function createTestSp(input: {
  entityId: string;
  acsUrl: string;
  sloUrl: string;
  attributes?: string[];
}): TestSp {
  const keys = generateKeyPair("Test SP", input.entityId);
  const attributes = input.attributes ?? ["spidCode", "name", "familyName", "fiscalNumber", "email", "dateOfBirth"];
  const metadataXml =
    `<md:EntityDescriptor xmlns:md="${NS.md}" xmlns:ds="${NS.ds}" entityID="${esc(input.entityId)}" ID="${newId()}">` +
    `<md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol" AuthnRequestsSigned="true" WantAssertionsSigned="true">` +
    `<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${certificateBody(keys.certificatePem)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>` +
    `<md:SingleLogoutService Binding="${BINDING.post}" Location="${esc(input.sloUrl)}"/>` +
    `<md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:transient</md:NameIDFormat>` +
    `<md:AssertionConsumerService index="0" isDefault="true" Binding="${BINDING.post}" Location="${esc(input.acsUrl)}"/>` +
    `<md:AttributeConsumingService index="0"><md:ServiceName xml:lang="it">Servizi online</md:ServiceName>` +
    attributes.map((a) => `<md:RequestedAttribute Name="${a}"/>`).join("") +
    `</md:AttributeConsumingService>` +
    `<md:AttributeConsumingService index="1"><md:ServiceName xml:lang="it">Solo codice fiscale</md:ServiceName>` +
    `<md:RequestedAttribute Name="fiscalNumber"/></md:AttributeConsumingService>` +
    `</md:SPSSODescriptor></md:EntityDescriptor>`;
  return { ...input, keys, metadataXml, attributes };
}

/** Builds an AuthnRequest (unsigned XML) for the IdP at `idpEntityId`. */
export function authnRequestXml(
  sp: TestSp,
  idpSsoUrl: string,
  fields: AuthnRequestFields = {},
): { id: string; xml: string } {
  const id = fields.id ?? newId();
  const level = fields.level ?? 2;
  const forceAuthn = fields.forceAuthn === undefined ? (level >= 2 ? true : null) : fields.forceAuthn;
  const nameIdFormat =
    fields.nameIdFormat === undefined ? "urn:oasis:names:tc:SAML:2.0:nameid-format:transient" : fields.nameIdFormat;
  const rac =
    fields.requestedAuthnContext === false
      ? ""
      : `<samlp:RequestedAuthnContext${attr("Comparison", fields.comparison === undefined ? "exact" : fields.comparison)}>` +
        `<saml:AuthnContextClassRef>${esc(fields.classRef ?? `https://www.spid.gov.it/SpidL${level}`)}</saml:AuthnContextClassRef></samlp:RequestedAuthnContext>`;
  const xml =
    `<samlp:AuthnRequest xmlns:samlp="${NS.samlp}" xmlns:saml="${NS.saml}"` +
    attr("ID", id) +
    attr("Version", fields.version === undefined ? "2.0" : fields.version) +
    attr("IssueInstant", fields.issueInstant === undefined ? new Date().toISOString() : fields.issueInstant) +
    attr("Destination", fields.destination === undefined ? idpSsoUrl : fields.destination) +
    attr("ForceAuthn", forceAuthn === null ? null : String(forceAuthn)) +
    attr("IsPassive", fields.isPassive ? "true" : null) +
    attr(
      "AssertionConsumerServiceIndex",
      fields.acsIndex === undefined && fields.acsUrl === undefined ? "0" : fields.acsIndex?.toString(),
    ) +
    attr("AssertionConsumerServiceURL", fields.acsUrl) +
    attr(
      "ProtocolBinding",
      fields.acsUrl ? (fields.protocolBinding === undefined ? BINDING.post : fields.protocolBinding) : null,
    ) +
    attr(
      "AttributeConsumingServiceIndex",
      fields.attributeIndex === undefined ? "0" : fields.attributeIndex?.toString(),
    ) +
    `>` +
    `<saml:Issuer${attr("Format", fields.issuerFormat === undefined ? "urn:oasis:names:tc:SAML:2.0:nameid-format:entity" : fields.issuerFormat)}` +
    `${attr("NameQualifier", fields.issuerNameQualifier === undefined ? sp.entityId : fields.issuerNameQualifier)}>${esc(fields.issuer ?? sp.entityId)}</saml:Issuer>` +
    (nameIdFormat === null ? "" : `<samlp:NameIDPolicy Format="${esc(nameIdFormat)}"/>`) +
    rac +
    `</samlp:AuthnRequest>`;
  return { id, xml };
}

/** Encodes a message for the HTTP-Redirect binding and signs the query with the SP key (RSA-SHA256). */
export function redirectQuery(
  param: "SAMLRequest" | "SAMLResponse",
  xml: string,
  keys: KeyPair | null,
  relayState?: string,
): string {
  let query = `${param}=${encodeURIComponent(deflateRawSync(Buffer.from(xml, "utf8")).toString("base64"))}`;
  if (relayState !== undefined) query += `&RelayState=${encodeURIComponent(relayState)}`;
  if (!keys) return query;
  query += `&SigAlg=${encodeURIComponent(ALG.rsaSha256)}`;
  const signature = createSign("RSA-SHA256").update(query).sign(keys.privateKeyPem, "base64");
  return `${query}&Signature=${encodeURIComponent(signature)}`;
}

/** Signs a message for the HTTP-POST binding (enveloped signature after the Issuer) and base64-encodes it. */
export function postMessage(xml: string, id: string, keys: KeyPair | null): string {
  const signed = keys ? signElement(xml, id, keys.privateKeyPem, keys.certificatePem) : xml;
  return Buffer.from(signed, "utf8").toString("base64");
}

/** Builds a LogoutRequest (unsigned XML). */
export function logoutRequestXml(
  sp: TestSp,
  idpSloUrl: string,
  fields: { sessionIndex?: string | null } = {},
): { id: string; xml: string } {
  const id = newId();
  const session =
    fields.sessionIndex === null
      ? ""
      : `<samlp:SessionIndex>${esc(fields.sessionIndex ?? "_sessione")}</samlp:SessionIndex>`;
  const xml =
    `<samlp:LogoutRequest xmlns:samlp="${NS.samlp}" xmlns:saml="${NS.saml}" ID="${id}" Version="2.0"` +
    ` IssueInstant="${new Date().toISOString()}" Destination="${esc(idpSloUrl)}">` +
    `<saml:Issuer Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity" NameQualifier="${esc(sp.entityId)}">${esc(sp.entityId)}</saml:Issuer>` +
    `<saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:transient" NameQualifier="idp">_utente</saml:NameID>` +
    session +
    `</samlp:LogoutRequest>`;
  return { id, xml };
}
