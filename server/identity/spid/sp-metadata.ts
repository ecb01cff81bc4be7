import { randomUUID } from "node:crypto";
import { SignedXml } from "xml-crypto";

/** SPID attributes an SP may request (AgID technical rules). */
export const SPID_ATTRIBUTES = [
  "spidCode",
  "name",
  "familyName",
  "fiscalNumber",
  "email",
  "mobilePhone",
  "dateOfBirth",
  "placeOfBirth",
  "gender",
  "address",
  "digitalAddress",
] as const;
export type SpidAttribute = (typeof SPID_ATTRIBUTES)[number];

export interface SpMetadataOptions {
  entityId: string;
  /** Absolute URLs of the SP's endpoints. */
  acsUrl: string;
  sloUrl: string;
  /** AttributeConsumingService index → requested attributes (index 0 is the default). */
  attributeSets: Array<{ index: number; name: string; attributes: SpidAttribute[] }>;
  organization: { name: string; displayName: string; url: string };
  /** The public body running the SP (SPID Avviso 29 v3 extensions for public SPs); the aggregated one for an aggregator. */
  publicBody: { ipaCode: string; email: string; phone?: string };
  /**
   * Public full aggregator (SPID Avviso 19 v4): the aggregator's ContactPerson (its fiscal code
   * or VAT number, `spid:PublicServicesFullAggregator`) beside the aggregated body's; the
   * entityID must then have the `pub-ag-full` activity code in its path and no query string.
   */
  aggregator?: { company: string; fiscalCode?: string; vatNumber?: string; email: string; phone: string };
  certPem: string;
  keyPem: string;
  /**
   * "cie": the metadata of a CIE ID SP (the Ministry's SAML federation): the same SPSSODescriptor,
   * with the public body's ContactPerson "administrative" carrying the cie: extensions
   * (`cie:Public`, `cie:IPACode`, `cie:Municipality`) instead of SPID's. Default "spid".
   */
  scheme?: "spid" | "cie";
  /** CIE only: the body's municipality (cadastral code). */
  municipality?: string;
}

const CIE_NS = "https://www.cartaidentita.interno.gov.it/saml-extensions";

const esc = (s: string) =>
  s.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!);
const certBody = (pem: string) => pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s+/g, "");

/**
 * The SP's SAML metadata as SPID wants it from a public body: SPSSODescriptor with signed
 * requests and assertions, the signing certificate, transient NameID, HTTP-POST ACS (index 0),
 * SLO (HTTP-POST and HTTP-Redirect), AttributeConsumingServices, Organization in Italian, and a
 * ContactPerson "other" with the `spid:IPACode` and `spid:Public` extensions; signed (RSA-SHA256,
 * exclusive c14n, enveloped).
 */
export function buildSpMetadata(o: SpMetadataOptions): string {
  const id = `_${randomUUID()}`;
  if (o.aggregator) {
    if (!/\/pub-ag-full\/[^/?#]+/.test(o.entityId) || o.entityId.includes("?"))
      throw new Error(`aggregator entityID must contain /pub-ag-full/<code> and no query string: ${o.entityId}`);
    if (!o.aggregator.fiscalCode && !o.aggregator.vatNumber)
      throw new Error("aggregator metadata needs the aggregator's fiscal code or VAT number");
  }
  const acs = o.attributeSets
    .map(
      (set) =>
        `<md:AttributeConsumingService index="${set.index}"><md:ServiceName xml:lang="it">${esc(set.name)}</md:ServiceName>${set.attributes
          .map((a) => `<md:RequestedAttribute Name="${a}"/>`)
          .join("")}</md:AttributeConsumingService>`,
    )
    .join("");
  const xml =
    `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" ${o.scheme === "cie" ? `xmlns:cie="${CIE_NS}"` : `xmlns:spid="https://spid.gov.it/saml-extensions"`} entityID="${esc(o.entityId)}" ID="${id}">` +
    `<md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol" AuthnRequestsSigned="true" WantAssertionsSigned="true">` +
    `<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${certBody(o.certPem)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>` +
    // The IdP's LogoutResponse may come back on either binding; the SP accepts both at one URL.
    `<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${esc(o.sloUrl)}"/>` +
    `<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${esc(o.sloUrl)}"/>` +
    `<md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:transient</md:NameIDFormat>` +
    `<md:AssertionConsumerService index="0" isDefault="true" Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${esc(o.acsUrl)}"/>` +
    acs +
    `</md:SPSSODescriptor>` +
    `<md:Organization><md:OrganizationName xml:lang="it">${esc(o.organization.name)}</md:OrganizationName><md:OrganizationDisplayName xml:lang="it">${esc(o.organization.displayName)}</md:OrganizationDisplayName><md:OrganizationURL xml:lang="it">${esc(o.organization.url)}</md:OrganizationURL></md:Organization>` +
    (o.scheme === "cie" ? cieContactPerson(o) : contactPersons(o)) +
    `</md:EntityDescriptor>`;
  const sig = new SignedXml({
    privateKey: o.keyPem,
    publicCert: o.certPem,
    signatureAlgorithm: "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
    canonicalizationAlgorithm: "http://www.w3.org/2001/10/xml-exc-c14n#",
  });
  sig.addReference({
    xpath: `//*[@ID='${id}']`,
    digestAlgorithm: "http://www.w3.org/2001/04/xmlenc#sha256",
    transforms: ["http://www.w3.org/2000/09/xmldsig#enveloped-signature", "http://www.w3.org/2001/10/xml-exc-c14n#"],
  });
  // SAML metadata puts the signature first in the EntityDescriptor.
  sig.computeSignature(xml, { prefix: "ds", location: { reference: `//*[@ID='${id}']`, action: "prepend" } });
  return sig.getSignedXml();
}

/**
 * A public SP: one ContactPerson "other" (IPA code, `spid:Public`). A public full aggregator: the
 * aggregator's (`spid:entityType="spid:aggregator"`, fiscal code or VAT number,
 * `spid:PublicServicesFullAggregator`, company, e-mail, telephone) and the aggregated body's
 * (`spid:aggregated`, IPA code, `spid:Public`), as Avviso 19 and AgID's metadata checks want them.
 */
function contactPersons(o: SpMetadataOptions): string {
  const phone = (p: string | undefined) => (p ? `<md:TelephoneNumber>${esc(p)}</md:TelephoneNumber>` : "");
  const publicBody = `<md:Extensions><spid:IPACode>${esc(o.publicBody.ipaCode)}</spid:IPACode><spid:Public/></md:Extensions>`;
  if (!o.aggregator) {
    return `<md:ContactPerson contactType="other">${publicBody}<md:EmailAddress>${esc(o.publicBody.email)}</md:EmailAddress>${phone(o.publicBody.phone)}</md:ContactPerson>`;
  }
  const a = o.aggregator;
  const ids =
    (a.vatNumber ? `<spid:VATNumber>${esc(a.vatNumber)}</spid:VATNumber>` : "") +
    (a.fiscalCode ? `<spid:FiscalCode>${esc(a.fiscalCode)}</spid:FiscalCode>` : "");
  return (
    `<md:ContactPerson contactType="other" spid:entityType="spid:aggregator"><md:Extensions>${ids}<spid:PublicServicesFullAggregator/></md:Extensions>` +
    `<md:Company>${esc(a.company)}</md:Company><md:EmailAddress>${esc(a.email)}</md:EmailAddress>${phone(a.phone)}</md:ContactPerson>` +
    `<md:ContactPerson contactType="other" spid:entityType="spid:aggregated">${publicBody}` +
    `<md:Company>${esc(o.organization.name)}</md:Company><md:EmailAddress>${esc(o.publicBody.email)}</md:EmailAddress>${phone(o.publicBody.phone)}</md:ContactPerson>`
  );
}

/** A public CIE ID SP: the body's ContactPerson "administrative" with the cie: extensions. */
function cieContactPerson(o: SpMetadataOptions): string {
  const ext =
    `<cie:Public/><cie:IPACode>${esc(o.publicBody.ipaCode)}</cie:IPACode>` +
    (o.municipality ? `<cie:Municipality>${esc(o.municipality)}</cie:Municipality>` : "");
  return (
    `<md:ContactPerson contactType="administrative"><md:Extensions>${ext}</md:Extensions>` +
    `<md:Company>${esc(o.organization.name)}</md:Company><md:EmailAddress>${esc(o.publicBody.email)}</md:EmailAddress>` +
    (o.publicBody.phone ? `<md:TelephoneNumber>${esc(o.publicBody.phone)}</md:TelephoneNumber>` : "") +
    `</md:ContactPerson>`
  );
}
