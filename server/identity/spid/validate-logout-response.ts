import { inflateRawSync } from "node:zlib";
import { verifiedElement } from "./saml-core.ts";
import { ENTITY_FORMAT, NS, STATUS_SUCCESS, kid, parseSamlXml, querySignedBy, text } from "./saml-xml.ts";
import { SpidLoginError } from "./spid-errors.ts";

/** A LogoutResponse as it reached our SingleLogoutService, on either binding. */
export interface LogoutResponseMessage {
  binding: "post" | "redirect";
  /** The SAMLResponse parameter, decoded from the form or query (base64, deflated on redirect). */
  samlResponse: string;
  /** The raw query string: the redirect binding's signature covers it as it was sent. */
  rawQuery: string;
}

export interface DecodedLogoutResponse {
  message: LogoutResponseMessage;
  xml: string;
  doc: Document;
  root: Element;
  /** Which of our LogoutRequests it claims to answer (not trusted until validated). */
  inResponseTo: string | null;
}

export interface LogoutValidationContext {
  sloUrl: string;
  idpEntityId: string;
  idpCertificates: string[];
  request: { id: string; issueInstant: string };
  now?: Date;
  skewMs?: number;
}

/** What the citizen reads when the IdP does not confirm the logout; the reason goes to the log. */
export const LOGOUT_NOT_CONFIRMED =
  "La tua sessione su questo portale è chiusa, ma il gestore di identità SPID non ha confermato l'uscita. Se usi un computer condiviso, chiudi il browser.";
const fail = (reason: string) => new SpidLoginError(reason, LOGOUT_NOT_CONFIRMED);

/**
 * Decodes a LogoutResponse from its binding (base64 on POST, deflate+base64 on Redirect) just far
 * enough to read which request it answers; nothing in it is trusted yet.
 * @throws SpidLoginError
 */
export function readLogoutResponse(message: LogoutResponseMessage): DecodedLogoutResponse {
  let xml: string;
  try {
    const bytes = Buffer.from(message.samlResponse, "base64");
    xml = (message.binding === "redirect" ? inflateRawSync(bytes) : bytes).toString("utf8");
  } catch {
    throw fail("SAMLResponse is not valid (deflate+)base64");
  }
  const doc = parseSamlXml(xml);
  const root = doc?.documentElement;
  if (!doc || !root || root.namespaceURI !== NS.samlp || root.localName !== "LogoutResponse")
    throw fail("not a samlp:LogoutResponse");
  return { message, xml, doc, root, inResponseTo: root.getAttribute("InResponseTo") };
}

/**
 * Checks a LogoutResponse against the LogoutRequest it must answer: signed by the IdP the request
 * went to (enveloped signature on POST, query signature on Redirect), Version, Destination our
 * SingleLogoutService, InResponseTo, IssueInstant not before the request, Issuer that IdP with
 * entity Format, and status Success. The caller takes the pending request once (no replay).
 * @throws SpidLoginError
 */
export function validateLogoutResponse(d: DecodedLogoutResponse, ctx: LogoutValidationContext): void {
  const now = ctx.now ?? new Date();
  const skew = ctx.skewMs ?? 60_000;
  const signed =
    d.message.binding === "redirect"
      ? querySignedBy(d.message.rawQuery, "SAMLResponse", ctx.idpCertificates)
      : verifiedElement(d.xml, d.root, ctx.idpCertificates) !== null;
  if (!signed) throw fail("LogoutResponse not signed by the IdP");
  const root = d.root;
  if (root.getAttribute("Version") !== "2.0") throw fail("Version is not 2.0");
  if (!root.getAttribute("ID")) throw fail("ID missing");
  if (root.getAttribute("Destination") !== ctx.sloUrl) throw fail("Destination is not our SingleLogoutService");
  if (d.inResponseTo !== ctx.request.id) throw fail("InResponseTo does not match the request");
  const instantText = root.getAttribute("IssueInstant") ?? "";
  const instant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(instantText)
    ? new Date(instantText).getTime()
    : Number.NaN;
  // Our request's instant is truncated to the second; a few seconds absorb that.
  const requestedAt = new Date(ctx.request.issueInstant).getTime();
  if (!(instant >= requestedAt - Math.min(skew, 3_000) && instant <= now.getTime() + skew))
    throw fail("IssueInstant out of range");
  const issuer = kid(root, NS.saml, "Issuer");
  if (text(issuer) !== ctx.idpEntityId) throw fail("Issuer is not the IdP");
  if (issuer!.getAttribute("Format") !== ENTITY_FORMAT) throw fail("Issuer Format is not entity");
  const status = kid(root, NS.samlp, "Status");
  const code = status && kid(status, NS.samlp, "StatusCode")?.getAttribute("Value");
  if (code !== STATUS_SUCCESS) throw fail(`IdP status ${code ?? "missing"}`);
}
