import { readFile } from "node:fs/promises";
import { DOMParser } from "@xmldom/xmldom";

export interface IdentityProvider {
  entityId: string;
  name: string;
  ssoRedirectUrl: string;
  certificates: string[];
}

const MD = "urn:oasis:names:tc:SAML:2.0:metadata";
const DS = "http://www.w3.org/2000/09/xmldsig#";
const REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
const pem = (b64: string) => `-----BEGIN CERTIFICATE-----\n${b64.replace(/\s+/g, "").replace(/(.{64})/g, "$1\n").trim()}\n-----END CERTIFICATE-----\n`;

/**
 * The SPID identity providers from a registry metadata file (an md:EntitiesDescriptor as AgID
 * publishes, or a single md:EntityDescriptor): entity ID, display name, HTTP-Redirect SSO URL and
 * signing certificates. `source` is a file path or an http(s) URL.
 */
export async function loadIdpRegistry(source: string): Promise<IdentityProvider[]> {
  const xml = /^https?:\/\//.test(source) ? await (await fetch(source, { signal: AbortSignal.timeout(5_000) })).text() : await readFile(source, "utf8");
  if (/<!DOCTYPE/i.test(xml)) throw new Error("IdP registry: DOCTYPE not allowed");
  const doc = new DOMParser().parseFromString(xml, "text/xml") as unknown as Document;
  const out: IdentityProvider[] = [];
  for (const ed of Array.from(doc.getElementsByTagNameNS(MD, "EntityDescriptor"))) {
    const idp = ed.getElementsByTagNameNS(MD, "IDPSSODescriptor")[0];
    if (!idp) continue;
    const sso = Array.from(idp.getElementsByTagNameNS(MD, "SingleSignOnService")).find((s) => s.getAttribute("Binding") === REDIRECT);
    const certificates = Array.from(idp.getElementsByTagNameNS(MD, "KeyDescriptor"))
      .filter((k) => !k.getAttribute("use") || k.getAttribute("use") === "signing")
      .flatMap((k) => Array.from(k.getElementsByTagNameNS(DS, "X509Certificate")).map((c) => pem(c.textContent ?? "")));
    const entityId = ed.getAttribute("entityID");
    if (!entityId || !sso?.getAttribute("Location") || certificates.length === 0) continue;
    const name = ed.getElementsByTagNameNS(MD, "OrganizationDisplayName")[0]?.textContent?.trim() || entityId;
    out.push({ entityId, name, ssoRedirectUrl: sso.getAttribute("Location")!, certificates });
  }
  return out;
}
