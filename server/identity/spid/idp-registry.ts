import { readFile } from "node:fs/promises";
import { DOMParser } from "@xmldom/xmldom";

export interface IdentityProvider {
  entityId: string;
  name: string;
  ssoRedirectUrl: string;
  /** SingleLogoutService for the HTTP-Redirect binding, where our LogoutRequest goes; null if none. */
  sloRedirectUrl: string | null;
  certificates: string[];
}

const MD = "urn:oasis:names:tc:SAML:2.0:metadata";
const DS = "http://www.w3.org/2000/09/xmldsig#";
const REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
const pem = (b64: string) => `-----BEGIN CERTIFICATE-----\n${b64.replace(/\s+/g, "").replace(/(.{64})/g, "$1\n").trim()}\n-----END CERTIFICATE-----\n`;

/** The Location of the descriptor's HTTP-Redirect endpoint of that kind, if any. */
function redirectLocation(descriptor: Element, tag: string): string | null {
  const endpoint = Array.from(descriptor.getElementsByTagNameNS(MD, tag)).find((s) => s.getAttribute("Binding") === REDIRECT);
  return endpoint?.getAttribute("Location") || null;
}

/**
 * The SPID identity providers from a registry metadata file (an md:EntitiesDescriptor as AgID
 * publishes, or a single md:EntityDescriptor): entity ID, display name, HTTP-Redirect SSO and SLO
 * URLs and signing certificates. `source` is a file path or an http(s) URL.
 */
export async function loadIdpRegistry(source: string): Promise<IdentityProvider[]> {
  const xml = /^https?:\/\//.test(source) ? await (await fetch(source, { signal: AbortSignal.timeout(5_000) })).text() : await readFile(source, "utf8");
  if (/<!DOCTYPE/i.test(xml)) throw new Error("IdP registry: DOCTYPE not allowed");
  const doc = new DOMParser().parseFromString(xml, "text/xml") as unknown as Document;
  const out: IdentityProvider[] = [];
  for (const ed of Array.from(doc.getElementsByTagNameNS(MD, "EntityDescriptor"))) {
    const idp = ed.getElementsByTagNameNS(MD, "IDPSSODescriptor")[0];
    if (!idp) continue;
    const ssoRedirectUrl = redirectLocation(idp, "SingleSignOnService");
    const certificates = Array.from(idp.getElementsByTagNameNS(MD, "KeyDescriptor"))
      .filter((k) => !k.getAttribute("use") || k.getAttribute("use") === "signing")
      .flatMap((k) => Array.from(k.getElementsByTagNameNS(DS, "X509Certificate")).map((c) => pem(c.textContent ?? "")));
    const entityId = ed.getAttribute("entityID");
    if (!entityId || !ssoRedirectUrl || certificates.length === 0) continue;
    const name = ed.getElementsByTagNameNS(MD, "OrganizationDisplayName")[0]?.textContent?.trim() || entityId;
    out.push({ entityId, name, ssoRedirectUrl, sloRedirectUrl: redirectLocation(idp, "SingleLogoutService"), certificates });
  }
  return out;
}

/**
 * The registry as every SP of the platform sees it: read once, read again when an IdP is asked
 * for that it does not list (AgID adds IdPs and rotates certificates without telling us).
 */
export class IdpDirectory {
  private idps: IdentityProvider[] | null = null;

  constructor(private readonly source: string) {}

  async list(): Promise<IdentityProvider[]> {
    this.idps ??= await loadIdpRegistry(this.source);
    return this.idps;
  }

  async find(entityId: string): Promise<IdentityProvider | null> {
    const look = () => this.idps?.find((i) => i.entityId === entityId) ?? null;
    if (!look()) this.idps = await loadIdpRegistry(this.source);
    return look();
  }
}
