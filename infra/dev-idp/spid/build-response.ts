import { randomBytes } from "node:crypto";
import type { ValidAuthnRequest } from "./authn-request.ts";
import type { DemoIdentity } from "./identities.ts";
import type { KeyPair } from "./keys.ts";
import { RESPONSE_MUTATIONS, isMutation } from "./response-mutations.ts";
import type { Scenario } from "./scenarios.ts";
import { STATUS_SUBCODE, type SpidStatusCode } from "./spid-errors.ts";
import { NS, esc, parseXml, serialize, signElement } from "./xml.ts";

export interface IdpSigning {
  entityId: string;
  keys: KeyPair;
  /** A key pair unknown to SPs, for the signed-with-other-key scenario. */
  otherKeys: KeyPair;
}

const ENTITY = "urn:oasis:names:tc:SAML:2.0:nameid-format:entity";
const TRANSIENT = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient";
const BASIC = "urn:oasis:names:tc:SAML:2.0:attrname-format:basic";
/** SPID attributes typed xs:date; every other one is xs:string. */
const DATE_ATTRIBUTES = new Set(["dateOfBirth", "expirationDate"]);
/** How long an assertion stays usable: SPID IdPs keep this to a few minutes. */
const VALIDITY_MS = 5 * 60 * 1000;

/** A random xs:ID (must not start with a digit). */
export const newId = (): string => `_${randomBytes(20).toString("hex")}`;
const instant = (d: Date): string => d.toISOString();

function issuer(entityId: string): string {
  return `<saml:Issuer Format="${ENTITY}">${esc(entityId)}</saml:Issuer>`;
}

function attributeXml(name: string, value: string): string {
  const type = DATE_ATTRIBUTES.has(name) ? "xs:date" : "xs:string";
  return (
    `<saml:Attribute Name="${esc(name)}" NameFormat="${BASIC}">` +
    `<saml:AttributeValue xsi:type="${type}">${esc(value)}</saml:AttributeValue></saml:Attribute>`
  );
}

/** Picks the attributes to release: exactly those requested, unless the scenario says otherwise. */
function releasedAttributes(req: ValidAuthnRequest, identity: DemoIdentity, scenario: Scenario): [string, string][] {
  let names = req.attributes.filter((n) => identity.attributes[n] !== undefined);
  if (scenario === "missing-attributes") names = names.slice(0, -1);
  if (scenario === "extra-attributes") {
    const extra = Object.keys(identity.attributes).filter((n) => !names.includes(n));
    names = [...names, ...extra];
  }
  return names.map((n) => [n, identity.attributes[n] as string]);
}

export interface SuccessInput {
  req: ValidAuthnRequest;
  identity: DemoIdentity;
  level: 1 | 2 | 3;
  scenario: Scenario;
  now: Date;
}

/**
 * Builds and signs a successful SPID Response (Response and Assertion both signed, RSA-SHA256,
 * exclusive c14n), then applies the deviation the scenario asks for.
 */
export function buildSuccessResponse(idp: IdpSigning, input: SuccessInput): string {
  const { req, identity, scenario, now } = input;
  const responseId = newId();
  const assertionId = newId();
  const issued = scenario === "issue-instant-before-request" ? new Date(req.issueInstant.getTime() - 60_000) : now;
  let notBefore = new Date(now.getTime() - 60_000);
  let notOnOrAfter = new Date(now.getTime() + VALIDITY_MS);
  if (scenario === "expired-assertion") {
    notBefore = new Date(now.getTime() - 20 * 60_000);
    notOnOrAfter = new Date(now.getTime() - 10 * 60_000);
  }
  if (scenario === "not-yet-valid") {
    notBefore = new Date(now.getTime() + 10 * 60_000);
    notOnOrAfter = new Date(now.getTime() + 20 * 60_000);
  }
  const inResponseTo =
    scenario === "missing-in-response-to"
      ? ""
      : ` InResponseTo="${esc(scenario === "wrong-in-response-to" ? newId() : req.id)}"`;
  const destination = scenario === "wrong-destination" ? `${req.acsUrl}/altro` : req.acsUrl;
  const recipient = scenario === "wrong-recipient" ? `${req.acsUrl}/altro` : req.acsUrl;
  const audience = scenario === "wrong-audience" ? "urn:pontepa:dev-idp:audience-sbagliata" : req.sp.entityId;
  const level = scenario === "lower-level" ? 1 : input.level;
  const idpIssuer = scenario === "wrong-issuer" ? `${idp.entityId}/altro` : idp.entityId;
  const attributes = releasedAttributes(req, identity, scenario);

  const attributeStatement =
    attributes.length === 0
      ? ""
      : `<saml:AttributeStatement>${attributes.map(([n, v]) => attributeXml(n, v)).join("")}</saml:AttributeStatement>`;
  const assertion =
    `<saml:Assertion xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"` +
    ` ID="${assertionId}" Version="2.0" IssueInstant="${instant(issued)}">` +
    issuer(idpIssuer) +
    `<saml:Subject><saml:NameID Format="${TRANSIENT}" NameQualifier="${esc(idp.entityId)}">${newId()}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">` +
    `<saml:SubjectConfirmationData Recipient="${esc(recipient)}"${inResponseTo} NotOnOrAfter="${instant(notOnOrAfter)}"/>` +
    `</saml:SubjectConfirmation></saml:Subject>` +
    `<saml:Conditions NotBefore="${instant(notBefore)}" NotOnOrAfter="${instant(notOnOrAfter)}">` +
    `<saml:AudienceRestriction><saml:Audience>${esc(audience)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
    `<saml:AuthnStatement AuthnInstant="${instant(now)}" SessionIndex="${newId()}"><saml:AuthnContext>` +
    `<saml:AuthnContextClassRef>https://www.spid.gov.it/SpidL${level}</saml:AuthnContextClassRef>` +
    `</saml:AuthnContext></saml:AuthnStatement>` +
    attributeStatement +
    `</saml:Assertion>`;
  let xml =
    `<samlp:Response xmlns:samlp="${NS.samlp}" xmlns:saml="${NS.saml}" ID="${responseId}" Version="2.0"` +
    ` IssueInstant="${instant(issued)}" Destination="${esc(destination)}"${inResponseTo}>` +
    issuer(idpIssuer) +
    `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
    assertion +
    `</samlp:Response>`;

  const mutation = isMutation(scenario) ? RESPONSE_MUTATIONS[scenario] : null;
  if (mutation && !mutation.afterSigning) xml = mutate(xml, (doc) => mutation.apply(doc, req));
  const keys = scenario === "signed-with-other-key" ? idp.otherKeys : idp.keys;
  const sha1 = scenario === "signed-with-rsa-sha1";
  // A mutation may have removed the assertion: sign what is there.
  if (scenario !== "unsigned-assertion" && xml.includes(`ID="${assertionId}"`))
    xml = signElement(xml, assertionId, keys.privateKeyPem, keys.certificatePem, "after-issuer", sha1);
  if (scenario === "signature-wrapping") return wrapWithEvilAssertion(xml, assertionId);
  if (scenario !== "unsigned-response")
    xml = signElement(xml, responseId, keys.privateKeyPem, keys.certificatePem, "after-issuer", sha1);
  if (scenario === "tampered-attribute-after-signing") xml = tamperFiscalNumber(xml);
  if (mutation?.afterSigning) xml = mutate(xml, (doc) => mutation.apply(doc, req));
  return xml;
}

/**
 * XSW: an attacker who holds one genuinely signed assertion places a forged, unsigned assertion
 * (another subject, another ID) before it, and cannot sign the Response. The signed assertion
 * still verifies; an SP that reads "the first assertion" without tying it to the verified
 * signature would log the forged subject in.
 */
function wrapWithEvilAssertion(xml: string, signedAssertionId: string): string {
  const doc = parseXml(xml) as Document;
  const signed = doc.getElementsByTagNameNS(NS.saml, "Assertion")[0] as Element;
  const evil = signed.cloneNode(true) as Element;
  evil.setAttribute("ID", `${signedAssertionId}-evil`);
  const sig = evil.getElementsByTagNameNS(NS.ds, "Signature")[0];
  if (sig) evil.removeChild(sig);
  for (const value of Array.from(evil.getElementsByTagNameNS(NS.saml, "AttributeValue"))) {
    const attr = value.parentNode as Element;
    if (attr.getAttribute("Name") === "fiscalNumber") value.textContent = "TINIT-VRDGPP13R10B293P";
    if (attr.getAttribute("Name") === "name") value.textContent = "Giuseppe";
    if (attr.getAttribute("Name") === "familyName") value.textContent = "Verdi";
  }
  signed.parentNode?.insertBefore(evil, signed);
  return serialize(doc);
}

function mutate(xml: string, edit: (doc: Document) => void): string {
  const doc = parseXml(xml) as Document;
  edit(doc);
  return serialize(doc);
}

/** Changes the released fiscalNumber after both signatures were computed. */
function tamperFiscalNumber(xml: string): string {
  return xml.replace(
    /(<saml:Attribute Name="fiscalNumber"[^>]*><saml:AttributeValue[^>]*>)[^<]*/,
    "$1TINIT-VRDGPP13R10B293P",
  );
}

/** Builds a signed SPID error Response (no assertion) carrying StatusMessage "ErrorCode nrNN". */
export function buildErrorResponse(
  idp: IdpSigning,
  input: { req: ValidAuthnRequest; code: SpidStatusCode; now: Date },
): string {
  const { req, code, now } = input;
  const id = newId();
  const xml =
    `<samlp:Response xmlns:samlp="${NS.samlp}" xmlns:saml="${NS.saml}" ID="${id}" Version="2.0"` +
    ` IssueInstant="${instant(now)}" Destination="${esc(req.acsUrl)}" InResponseTo="${esc(req.id)}">` +
    issuer(idp.entityId) +
    `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Responder">` +
    `<samlp:StatusCode Value="${STATUS_SUBCODE[code]}"/></samlp:StatusCode>` +
    `<samlp:StatusMessage>ErrorCode nr${code}</samlp:StatusMessage>` +
    `</samlp:Status></samlp:Response>`;
  return signElement(xml, id, idp.keys.privateKeyPem, idp.keys.certificatePem);
}
