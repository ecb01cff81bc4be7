import { readFile } from "node:fs/promises";
import { verifiedElement } from "./saml-core.ts";
import { parseSamlXml } from "./saml-xml.ts";

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
const pem = (b64: string) =>
  `-----BEGIN CERTIFICATE-----\n${b64
    .replace(/\s+/g, "")
    .replace(/(.{64})/g, "$1\n")
    .trim()}\n-----END CERTIFICATE-----\n`;

/** The Location of the descriptor's HTTP-Redirect endpoint of that kind, if any. */
function redirectLocation(descriptor: Element, tag: string): string | null {
  const endpoint = Array.from(descriptor.getElementsByTagNameNS(MD, tag)).find(
    (s) => s.getAttribute("Binding") === REDIRECT,
  );
  return endpoint?.getAttribute("Location") || null;
}

/** How the registry is read: its signer's certificate, how often it is refreshed. */
export interface RegistryOptions {
  /**
   * AgID's registry signing certificate (PEM, or the path of a PEM file). When set, the
   * registry's root must carry an enveloped RSA-SHA256 signature by it, or it is refused.
   */
  certificate?: string | null;
  /** Refresh interval (default 1 hour); a failed refresh is retried after a minute. */
  refreshMs?: number;
  /** Told when a refresh fails (the last good registry stays in use). */
  onRefreshError?: (err: unknown) => void;
  now?: () => number;
}

async function readCertificate(value: string): Promise<string> {
  return value.includes("-----BEGIN CERTIFICATE-----") ? value : await readFile(value, "utf8");
}

/**
 * The SPID identity providers from a registry metadata file (an md:EntitiesDescriptor as AgID
 * publishes, or a single md:EntityDescriptor): entity ID, display name, HTTP-Redirect SSO and SLO
 * URLs and signing certificates. `source` is a file path or an http(s) URL; a non-2xx answer,
 * a DOCTYPE, XML that does not parse or (with `certificate`) a missing or bad signature throws.
 */
export async function loadIdpRegistry(source: string, certificate?: string | null): Promise<IdentityProvider[]> {
  let xml: string;
  if (/^https?:\/\//.test(source)) {
    const res = await fetch(source, { signal: AbortSignal.timeout(5_000) });
    if (!res.ok) throw new Error(`IdP registry: HTTP ${res.status} from ${source}`);
    xml = await res.text();
  } else {
    xml = await readFile(source, "utf8");
  }
  const doc = parseSamlXml(xml);
  if (!doc) throw new Error("IdP registry: not well-formed XML, or a DOCTYPE");
  if (certificate && !verifiedElement(xml, doc.documentElement, [await readCertificate(certificate)])) {
    throw new Error("IdP registry: not signed by the configured registry certificate");
  }
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
    out.push({
      entityId,
      name,
      ssoRedirectUrl,
      sloRedirectUrl: redirectLocation(idp, "SingleLogoutService"),
      certificates,
    });
  }
  return out;
}

const HOUR = 3_600_000;
const RETRY_MS = 60_000;

/**
 * The registry as every SP of the platform sees it. Read on first use, then refreshed in the
 * background once the interval has passed (AgID adds IdPs and rotates certificates without
 * telling us); an IdP id it does not list is simply unknown and never causes a download, so
 * anonymous requests cannot make the platform fetch the registry again and again.
 */
export class IdpDirectory {
  private idps: IdentityProvider[] | null = null;
  private loadedAt = 0;
  private refreshing: Promise<void> | null = null;
  private readonly refreshMs: number;
  private readonly now: () => number;

  constructor(
    private readonly source: string,
    private readonly options: RegistryOptions = {},
  ) {
    this.refreshMs = options.refreshMs ?? HOUR;
    this.now = options.now ?? Date.now;
  }

  async list(): Promise<IdentityProvider[]> {
    if (!this.idps) {
      // The first read is awaited and its failure is the caller's (nothing to fall back on).
      this.refreshing ??= this.refresh().finally(() => (this.refreshing = null));
      await this.refreshing;
      if (!this.idps) throw new Error("IdP registry unavailable");
    } else if (this.now() - this.loadedAt >= this.refreshMs && !this.refreshing) {
      this.refreshing = this.refresh()
        .catch((err: unknown) => {
          this.loadedAt = this.now() - this.refreshMs + Math.min(RETRY_MS, this.refreshMs);
          this.options.onRefreshError?.(err);
        })
        .finally(() => (this.refreshing = null));
    }
    return this.idps!;
  }

  async find(entityId: string): Promise<IdentityProvider | null> {
    return (await this.list()).find((i) => i.entityId === entityId) ?? null;
  }

  /** Waits for a background refresh in progress, if any (tests, shutdown). */
  async settled(): Promise<void> {
    await this.refreshing;
  }

  private async refresh(): Promise<void> {
    this.idps = await loadIdpRegistry(this.source, this.options.certificate);
    this.loadedAt = this.now();
  }
}
