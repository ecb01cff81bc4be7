import { certificatePem } from "./keys.ts";
import { NS, child, children, descendants, parseXml } from "./xml.ts";

export const BINDING = {
  post: "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST",
  redirect: "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect",
} as const;

export interface Endpoint {
  binding: string;
  location: string;
  responseLocation?: string;
  index?: number;
  isDefault?: boolean;
}

/** What the IdP needs to know about a registered service provider. */
export interface ServiceProvider {
  entityId: string;
  signingCertificates: string[];
  assertionConsumerServices: Endpoint[];
  singleLogoutServices: Endpoint[];
  /** AttributeConsumingService index → requested SPID attribute names. */
  attributeConsumingServices: Map<number, { isDefault: boolean; attributes: string[] }>;
}

/** Parses SP metadata (md:EntityDescriptor with an SPSSODescriptor); throws on what is unusable. */
export function parseSpMetadata(xml: string): ServiceProvider {
  const doc = parseXml(xml);
  const root = doc?.documentElement;
  if (!root || root.localName !== "EntityDescriptor" || root.namespaceURI !== NS.md) {
    throw new Error("SP metadata: expected md:EntityDescriptor");
  }
  const entityId = root.getAttribute("entityID");
  const sso = child(root, NS.md, "SPSSODescriptor");
  if (!entityId || !sso) throw new Error("SP metadata: entityID and SPSSODescriptor are required");

  const signingCertificates = children(sso, NS.md, "KeyDescriptor")
    .filter((kd) => !kd.hasAttribute("use") || kd.getAttribute("use") === "signing")
    .flatMap((kd) => descendants(kd, NS.ds, "X509Certificate"))
    .map((c) => certificatePem(c.textContent ?? ""));
  if (signingCertificates.length === 0) throw new Error("SP metadata: no signing certificate");

  const endpoint = (el: Element): Endpoint => {
    const index = el.hasAttribute("index") ? el.getAttribute("index") : null;
    return {
      binding: el.getAttribute("Binding") ?? "",
      location: el.getAttribute("Location") ?? "",
      responseLocation: el.getAttribute("ResponseLocation") || undefined,
      index: index === null || index === "" ? undefined : Number(index),
      isDefault: el.getAttribute("isDefault") === "true",
    };
  };
  const assertionConsumerServices = children(sso, NS.md, "AssertionConsumerService").map(endpoint);
  if (assertionConsumerServices.length === 0) throw new Error("SP metadata: no AssertionConsumerService");

  const attributeConsumingServices = new Map<number, { isDefault: boolean; attributes: string[] }>();
  for (const acs of children(sso, NS.md, "AttributeConsumingService")) {
    attributeConsumingServices.set(Number(acs.getAttribute("index")), {
      isDefault: acs.getAttribute("isDefault") === "true",
      attributes: children(acs, NS.md, "RequestedAttribute").map((a) => a.getAttribute("Name") ?? ""),
    });
  }
  return {
    entityId,
    signingCertificates,
    assertionConsumerServices,
    singleLogoutServices: children(sso, NS.md, "SingleLogoutService").map(endpoint),
    attributeConsumingServices,
  };
}

/**
 * The registered service providers, keyed by entity id. Registration replaces an earlier entry
 * with the same entity id, so a test can re-register an SP with a new certificate.
 */
export class SpRegistry {
  private readonly sps = new Map<string, ServiceProvider>();

  register(xml: string): ServiceProvider {
    const sp = parseSpMetadata(xml);
    this.sps.set(sp.entityId, sp);
    return sp;
  }

  get(entityId: string): ServiceProvider | undefined {
    return this.sps.get(entityId);
  }

  list(): ServiceProvider[] {
    return [...this.sps.values()];
  }
}
