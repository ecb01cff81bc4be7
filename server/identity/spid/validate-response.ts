import type { SpidLevel } from "./authn-request.ts";
import { SamlCoreError, verifyResponseCore, weakSignatureAlgorithm } from "./saml-core.ts";
import { ENTITY_FORMAT, NS, kid, kids, parseSamlXml, text } from "./saml-xml.ts";
import { INVALID_RESPONSE, SPID_STATUS_MESSAGES, SpidLoginError } from "./spid-errors.ts";

/** The request this response must answer, as the SP remembered it. */
export interface PendingRequest {
  id: string;
  issueInstant: string;
  level: SpidLevel;
  /** SPID attribute names asked for (the AttributeConsumingService of the request). */
  attributes: string[];
}

export interface ValidationContext {
  spEntityId: string;
  acsUrl: string;
  idpEntityId: string;
  idpCertificates: string[];
  request: PendingRequest;
  /** The SPID rules' clock (tests); node-saml's time windows always use the real clock. */
  now?: Date;
  /** Clock skew tolerated on time checks (default 60 s). */
  skewMs?: number;
}

export interface SpidIdentity {
  fiscalCode: string;
  name: string | null;
  familyName: string | null;
  email: string | null;
  level: SpidLevel;
  nameId: string;
  sessionIndex: string | null;
  idp: string;
  assertionId: string;
  /** Until when the assertion may be presented (for the replay guard). */
  notOnOrAfter: Date;
  attributes: Record<string, string>;
}

const fail = (reason: string) => new SpidLoginError(reason, INVALID_RESPONSE);
const time = (s: string | null, what: string) => {
  const t = s && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(s) ? new Date(s) : null;
  if (!t || Number.isNaN(t.getTime())) throw fail(`${what}: not a UTC xs:dateTime`);
  return t;
};

/**
 * Checks a SPID Response (base64 of the HTTP-POST binding) against the request it must answer,
 * as the SPID technical rules require, and returns the identity. Anything wrong is refused with
 * one generic message to the citizen (the reason goes to the log); the IdP's own anomalies
 * (codes 19-25) get their own message. The caller guards against replay with `assertionId`.
 *
 * Three layers: the SPID rules on the Response element (they can only refuse: nothing is read
 * from it), then node-saml's protocol core (saml-core.ts: both signatures, wrapping, the generic
 * SAML checks), then the SPID rules on the Assertion as node-saml verified it, which is also
 * where the identity is read from.
 * @throws SpidLoginError
 */
export async function validateSpidResponse(samlResponse: string, ctx: ValidationContext): Promise<SpidIdentity> {
  const now = ctx.now ?? new Date();
  const skew = ctx.skewMs ?? 60_000;
  const xml = Buffer.from(samlResponse, "base64").toString("utf8");
  const doc = parseSamlXml(xml);
  if (!doc) throw fail("not well-formed XML, or a DOCTYPE");
  const response = doc.documentElement;
  if (!response || response.namespaceURI !== NS.samlp || response.localName !== "Response")
    throw fail("not a samlp:Response");
  if (response.getAttribute("Version") !== "2.0") throw fail("Version is not 2.0");
  if (response.getAttribute("Destination") !== ctx.acsUrl) throw fail("Destination is not our ACS");
  if (response.getAttribute("InResponseTo") !== ctx.request.id) throw fail("InResponseTo does not match the request");
  const requestedAt = new Date(ctx.request.issueInstant);
  // Nothing the IdP issues may predate our request; a few seconds absorb sub-second truncation.
  const requestSkew = Math.min(skew, 3_000);
  const responseInstant = time(response.getAttribute("IssueInstant"), "Response IssueInstant");
  if (
    responseInstant.getTime() < requestedAt.getTime() - requestSkew ||
    responseInstant.getTime() > now.getTime() + skew
  )
    throw fail("Response IssueInstant out of range");
  const responseIssuer = kid(response, NS.saml, "Issuer");
  if (text(responseIssuer) !== ctx.idpEntityId) throw fail("Response Issuer is not the IdP");
  // On the Response the SPID rules let the IdP omit Format; if present it must be entity.
  if (responseIssuer!.hasAttribute("Format") && responseIssuer!.getAttribute("Format") !== ENTITY_FORMAT)
    throw fail("Response Issuer Format is not entity");

  const status = kid(response, NS.samlp, "Status");
  const statusCode = status && kid(status, NS.samlp, "StatusCode")?.getAttribute("Value");
  if (statusCode !== "urn:oasis:names:tc:SAML:2.0:status:Success") {
    const code = Number(/ErrorCode nr(\d+)/.exec(text(status && kid(status, NS.samlp, "StatusMessage")))?.[1]);
    throw new SpidLoginError(
      `IdP status ${statusCode} code ${code || "?"}`,
      SPID_STATUS_MESSAGES[code] ?? INVALID_RESPONSE,
      code || null,
    );
  }
  const assertions = kids(response, NS.saml, "Assertion");
  if (assertions.length !== 1) throw fail(`${assertions.length} assertions`);
  // SPID forbids SHA-1, which node-saml would verify.
  for (const [what, el] of [
    ["Response", response],
    ["assertion", assertions[0]!],
  ] as const) {
    const weak = weakSignatureAlgorithm(el);
    if (weak) throw fail(`${what} signed with a ${weak} SPID does not allow`);
  }
  let signedAssertionXml: string;
  try {
    signedAssertionXml = await verifyResponseCore(samlResponse, {
      spEntityId: ctx.spEntityId,
      acsUrl: ctx.acsUrl,
      idpEntityId: ctx.idpEntityId,
      idpCertificates: ctx.idpCertificates,
      requestId: ctx.request.id,
      requestIssueInstant: ctx.request.issueInstant,
      skewMs: skew,
    });
  } catch (err) {
    if (!(err instanceof SamlCoreError)) throw err;
    const who = {
      response: "Response not signed by the IdP: ",
      assertion: "assertion not signed by the IdP: ",
      wrapping: "signature refused (wrapping or a reference to another element): ",
    };
    throw fail(`${err.signature ? who[err.signature] : ""}node-saml: ${err.message}`);
  }
  // From here on, only the Assertion node-saml verified is read.
  const assertion = parseSamlXml(signedAssertionXml)?.documentElement;
  if (!assertion || assertion.namespaceURI !== NS.saml || assertion.localName !== "Assertion")
    throw fail("node-saml returned no saml:Assertion");
  if (assertion.getAttribute("Version") !== "2.0") throw fail("Assertion Version is not 2.0");
  const assertionIssuer = kid(assertion, NS.saml, "Issuer");
  if (text(assertionIssuer) !== ctx.idpEntityId) throw fail("Assertion Issuer is not the IdP");
  // Unlike the Response's, the Assertion's Issuer must carry Format entity (AgID cases 70-72).
  if (assertionIssuer!.getAttribute("Format") !== ENTITY_FORMAT)
    throw fail("Assertion Issuer Format missing or not entity");
  const assertionInstant = time(assertion.getAttribute("IssueInstant"), "Assertion IssueInstant");
  if (
    assertionInstant.getTime() < requestedAt.getTime() - requestSkew ||
    assertionInstant.getTime() > now.getTime() + skew
  )
    throw fail("Assertion IssueInstant out of range");

  const subject = kid(assertion, NS.saml, "Subject");
  const nameIdEl = subject && kid(subject, NS.saml, "NameID");
  if (!nameIdEl || nameIdEl.getAttribute("Format") !== "urn:oasis:names:tc:SAML:2.0:nameid-format:transient")
    throw fail("NameID missing or not transient");
  if (!text(nameIdEl)) throw fail("NameID empty");
  if (!nameIdEl.getAttribute("NameQualifier")?.trim()) throw fail("NameID NameQualifier missing or empty");
  const confirmations = subject ? kids(subject, NS.saml, "SubjectConfirmation") : [];
  if (confirmations.length !== 1) throw fail(`${confirmations.length} SubjectConfirmation elements`);
  const confirmation = confirmations[0]!;
  if (confirmation.getAttribute("Method") !== "urn:oasis:names:tc:SAML:2.0:cm:bearer")
    throw fail("SubjectConfirmation Method missing or not bearer");
  const data = kid(confirmation, NS.saml, "SubjectConfirmationData");
  if (!data || data.getAttribute("Recipient") !== ctx.acsUrl) throw fail("Recipient is not our ACS");
  if (data.getAttribute("InResponseTo") !== ctx.request.id)
    throw fail("SubjectConfirmationData InResponseTo does not match");
  const confirmUntil = time(data.getAttribute("NotOnOrAfter"), "SubjectConfirmationData NotOnOrAfter");
  if (confirmUntil.getTime() <= now.getTime() - skew) throw fail("assertion expired (SubjectConfirmationData)");

  const conditions = kid(assertion, NS.saml, "Conditions");
  if (!conditions) throw fail("Conditions missing");
  if (time(conditions.getAttribute("NotBefore"), "NotBefore").getTime() > now.getTime() + skew)
    throw fail("assertion not yet valid");
  const notOnOrAfter = time(conditions.getAttribute("NotOnOrAfter"), "Conditions NotOnOrAfter");
  if (notOnOrAfter.getTime() <= now.getTime() - skew) throw fail("assertion expired");
  const audience = kids(conditions, NS.saml, "AudienceRestriction")
    .flatMap((r) => kids(r, NS.saml, "Audience"))
    .map((a) => text(a));
  if (audience.length !== 1 || audience[0] !== ctx.spEntityId) throw fail("Audience is not our entityID");

  const authn = kid(assertion, NS.saml, "AuthnStatement");
  const classRef = text(
    authn &&
      kid(authn, NS.saml, "AuthnContext") &&
      kid(kid(authn, NS.saml, "AuthnContext")!, NS.saml, "AuthnContextClassRef"),
  );
  const level = Number(/^https:\/\/www\.spid\.gov\.it\/SpidL([123])$/.exec(classRef)?.[1]) as SpidLevel;
  if (!level) throw fail(`unknown AuthnContextClassRef ${classRef}`);
  if (level < ctx.request.level)
    throw new SpidLoginError(`level ${level} below ${ctx.request.level}`, SPID_STATUS_MESSAGES[20]!);

  const attributes: Record<string, string> = {};
  for (const statement of kids(assertion, NS.saml, "AttributeStatement")) {
    for (const a of kids(statement, NS.saml, "Attribute"))
      attributes[a.getAttribute("Name") ?? ""] = text(kid(a, NS.saml, "AttributeValue"));
  }
  const got = Object.keys(attributes).sort();
  const asked = [...ctx.request.attributes].sort();
  if (got.join() !== asked.join()) throw fail(`attributes ${got.join()} instead of ${asked.join()}`);
  const fiscalCode = /^TINIT-([A-Z0-9]{16})$/.exec(attributes.fiscalNumber ?? "")?.[1];
  if (!fiscalCode) throw fail("fiscalNumber missing or malformed");

  return {
    fiscalCode,
    name: attributes.name ?? null,
    familyName: attributes.familyName ?? null,
    email: attributes.email ?? null,
    level,
    nameId: text(nameIdEl),
    sessionIndex: authn?.getAttribute("SessionIndex") || null,
    idp: ctx.idpEntityId,
    assertionId: assertion.getAttribute("ID") ?? "",
    notOnOrAfter,
    attributes,
  };
}
