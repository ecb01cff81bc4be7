import { authenticateSender, checkCommonAttributes, decodeMessage, type IncomingMessage } from "./saml-message.ts";
import { BINDING, type ServiceProvider, type SpRegistry } from "./sp-registry.ts";
import { SpidRequestError } from "./spid-errors.ts";
import { NS, child, children } from "./xml.ts";

export type SpidLevel = 1 | 2 | 3;
export type Comparison = "exact" | "minimum" | "better" | "maximum";

/** An AuthnRequest that passed every SPID check, with what the Response will need. */
export interface ValidAuthnRequest {
  id: string;
  issueInstant: Date;
  sp: ServiceProvider;
  acsUrl: string;
  relayState?: string;
  requestedLevel: SpidLevel;
  comparison: Comparison;
  /** The level the IdP authenticates at to satisfy the comparison. */
  targetLevel: SpidLevel | 4;
  forceAuthn: boolean;
  /** SPID attribute names to release, from the SP's AttributeConsumingService. */
  attributes: string[];
}

export interface AuthnRequestContext {
  registry: SpRegistry;
  acceptedDestinations: string[];
  now: Date;
  maxAgeMs: number;
  skewMs: number;
}

const LEVEL_PREFIX = "https://www.spid.gov.it/SpidL";
const COMPARISONS: Comparison[] = ["exact", "minimum", "better", "maximum"];

/** Validates an AuthnRequest the way a SPID IdP does; throws SpidRequestError with the SPID code. */
export function validateAuthnRequest(msg: IncomingMessage, ctx: AuthnRequestContext): ValidAuthnRequest {
  const decoded = decodeMessage(msg, "SAMLRequest");
  const root = decoded.root;
  if (root.localName !== "AuthnRequest" || root.namespaceURI !== NS.samlp) {
    throw new SpidRequestError(8, "root element is not samlp:AuthnRequest");
  }
  const sp = authenticateSender(msg, decoded, ctx.registry);
  const { id, issueInstant } = checkCommonAttributes(root, ctx.acceptedDestinations, ctx.now, ctx);

  if (root.getAttribute("IsPassive") === "true" || root.getAttribute("IsPassive") === "1") {
    throw new SpidRequestError(15, "IsPassive=true is not allowed");
  }

  const { requestedLevel, comparison } = requestedAuthnContext(root);
  const targetLevel = comparison === "better" ? ((requestedLevel + 1) as SpidLevel | 4) : requestedLevel;
  const forceAuthn = root.getAttribute("ForceAuthn") === "true" || root.getAttribute("ForceAuthn") === "1";
  if (targetLevel >= 2 && !forceAuthn) {
    throw new SpidRequestError(8, "ForceAuthn must be true when SpidL2 or higher is requested");
  }

  const policy = child(root, NS.samlp, "NameIDPolicy");
  if (policy?.getAttribute("Format") !== "urn:oasis:names:tc:SAML:2.0:nameid-format:transient") {
    throw new SpidRequestError(17, "NameIDPolicy with Format transient is required");
  }

  return {
    id,
    issueInstant,
    sp,
    acsUrl: assertionConsumerUrl(root, sp),
    relayState: decoded.relayState,
    requestedLevel,
    comparison,
    targetLevel,
    forceAuthn,
    attributes: requestedAttributes(root, sp),
  };
}

function requestedAuthnContext(root: Element): { requestedLevel: SpidLevel; comparison: Comparison } {
  const rac = child(root, NS.samlp, "RequestedAuthnContext");
  if (!rac) throw new SpidRequestError(12, "RequestedAuthnContext missing");
  const comparison = rac.getAttribute("Comparison") as Comparison;
  if (!COMPARISONS.includes(comparison))
    throw new SpidRequestError(12, "Comparison must be exact, minimum, better or maximum");
  const refs = children(rac, NS.saml, "AuthnContextClassRef");
  const ref = refs[0]?.textContent?.trim() ?? "";
  const level = Number(ref.slice(LEVEL_PREFIX.length));
  if (refs.length !== 1 || !ref.startsWith(LEVEL_PREFIX) || ![1, 2, 3].includes(level)) {
    throw new SpidRequestError(12, "AuthnContextClassRef must be one of https://www.spid.gov.it/SpidL1|SpidL2|SpidL3");
  }
  if (comparison === "better" && level === 3) throw new SpidRequestError(12, "nothing is better than SpidL3");
  return { requestedLevel: level as SpidLevel, comparison };
}

/**
 * SPID wants the ACS named either by AssertionConsumerServiceURL (with ProtocolBinding HTTP-POST)
 * or by AssertionConsumerServiceIndex, never both, and always one registered in the SP metadata.
 */
function assertionConsumerUrl(root: Element, sp: ServiceProvider): string {
  const url = root.getAttribute("AssertionConsumerServiceURL");
  // xmldom returns "" (not null) for an absent attribute, hence hasAttribute.
  const indexText = root.hasAttribute("AssertionConsumerServiceIndex")
    ? root.getAttribute("AssertionConsumerServiceIndex")
    : null;
  if (url && indexText !== null)
    throw new SpidRequestError(16, "AssertionConsumerServiceURL and Index are mutually exclusive");
  if (url) {
    if (root.getAttribute("ProtocolBinding") !== BINDING.post) {
      throw new SpidRequestError(16, "ProtocolBinding must be HTTP-POST with AssertionConsumerServiceURL");
    }
    const registered = sp.assertionConsumerServices.find((a) => a.location === url && a.binding === BINDING.post);
    if (!registered) throw new SpidRequestError(16, `AssertionConsumerServiceURL ${url} is not in the SP metadata`);
    return url;
  }
  if (indexText === null)
    throw new SpidRequestError(16, "AssertionConsumerServiceURL or AssertionConsumerServiceIndex required");
  const registered = /^\d+$/.test(indexText)
    ? sp.assertionConsumerServices.find((a) => a.index === Number(indexText) && a.binding === BINDING.post)
    : undefined;
  if (!registered)
    throw new SpidRequestError(
      16,
      `AssertionConsumerServiceIndex ${indexText} is not an HTTP-POST ACS in the SP metadata`,
    );
  return registered.location;
}

/** Without AttributeConsumingServiceIndex the IdP releases no attributes (only the NameID). */
function requestedAttributes(root: Element, sp: ServiceProvider): string[] {
  if (!root.hasAttribute("AttributeConsumingServiceIndex")) return [];
  const indexText = root.getAttribute("AttributeConsumingServiceIndex") ?? "";
  const service = /^\d+$/.test(indexText) ? sp.attributeConsumingServices.get(Number(indexText)) : undefined;
  if (!service)
    throw new SpidRequestError(18, `AttributeConsumingServiceIndex ${indexText} not registered in the SP metadata`);
  return service.attributes;
}
