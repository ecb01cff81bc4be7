import { OFFERED_ATTRIBUTES } from "./identities.ts";
import { certificateBody, type KeyPair } from "./keys.ts";
import { BINDING } from "./sp-registry.ts";
import { NS, esc, signElement } from "./xml.ts";

type IdpDescription = { entityId: string; ssoUrl: string; sloUrl: string; keys: KeyPair; displayName?: string };

/** Builds the IdP's signed SAML metadata, shaped like the metadata of the SPID IdPs. */
export function buildIdpMetadata(input: IdpDescription): string {
  const { id, xml } = entityDescriptor(input);
  return signElement(xml, id, input.keys.privateKeyPem, input.keys.certificatePem, "first");
}

/**
 * The registry as AgID publishes it (an md:EntitiesDescriptor of every IdP), signed with the
 * registry's own key (AgID's, here the test registry key), not with any IdP's.
 */
export function buildRegistryMetadata(idps: IdpDescription[], registryKeys: KeyPair, validUntil: Date): string {
  const id = "_spid_registry_test";
  const xml =
    `<md:EntitiesDescriptor xmlns:md="${NS.md}" ID="${id}" Name="PontePA test SPID registry" validUntil="${validUntil.toISOString()}">` +
    idps.map((idp) => entityDescriptor(idp).xml).join("") +
    `</md:EntitiesDescriptor>`;
  return signElement(xml, id, registryKeys.privateKeyPem, registryKeys.certificatePem, "first");
}

function entityDescriptor(input: IdpDescription): { id: string; xml: string } {
  const id = `_${Buffer.from(input.entityId).toString("hex").slice(0, 40)}`;
  const cert = certificateBody(input.keys.certificatePem);
  const endpoints = (tag: string, url: string) =>
    [BINDING.redirect, BINDING.post].map((b) => `<md:${tag} Binding="${b}" Location="${esc(url)}"/>`).join("");
  const xml =
    `<md:EntityDescriptor xmlns:md="${NS.md}" xmlns:saml="${NS.saml}" xmlns:ds="${NS.ds}" ID="${id}" entityID="${esc(input.entityId)}">` +
    `<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol" WantAuthnRequestsSigned="true">` +
    `<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>` +
    endpoints("SingleLogoutService", input.sloUrl) +
    `<md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:transient</md:NameIDFormat>` +
    endpoints("SingleSignOnService", input.ssoUrl) +
    OFFERED_ATTRIBUTES.map(
      (a) => `<saml:Attribute Name="${a}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic"/>`,
    ).join("") +
    `</md:IDPSSODescriptor>` +
    `<md:Organization><md:OrganizationName xml:lang="it">PontePA IdP di test</md:OrganizationName>` +
    `<md:OrganizationDisplayName xml:lang="it">${esc(input.displayName ?? "PontePA IdP di test SPID")}</md:OrganizationDisplayName>` +
    `<md:OrganizationURL xml:lang="it">${esc(input.entityId)}</md:OrganizationURL></md:Organization>` +
    `</md:EntityDescriptor>`;
  return { id, xml };
}
