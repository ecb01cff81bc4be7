import type { ValidAuthnRequest } from "./authn-request.ts";
import { NS, child, descendants } from "./xml.ts";

/**
 * The malformed Responses of AgID's SP validator (spid-saml-check / spid-sp-test "test-suite-1"),
 * one deviation each, so an SP's negative suite can check it refuses exactly that one (or, for the
 * few marked valid, accepts it). Each edits the unsigned Response before the IdP signs it, unless
 * `afterSigning` (an element without ID cannot be signed: the edit then also breaks the signature).
 * Labels are Italian (login page); the AgID case number is in brackets.
 */
export interface ResponseMutation {
  label: string;
  apply(doc: Document, req: ValidAuthnRequest): void;
  afterSigning?: boolean;
}

const first = (doc: Document, ns: string, name: string): Element => {
  const el = descendants(doc, ns, name)[0];
  if (!el) throw new Error(`test IdP: no ${name} to alter`);
  return el;
};
const response = (doc: Document) => doc.documentElement;
const assertion = (doc: Document) => first(doc, NS.saml, "Assertion");
const responseIssuer = (doc: Document) => child(response(doc), NS.saml, "Issuer") as Element;
const assertionIssuer = (doc: Document) => child(assertion(doc), NS.saml, "Issuer") as Element;
const remove = (el: Element) => el.parentNode?.removeChild(el);
const unset = (el: Element, attr: string) => el.removeAttribute(attr);
const set = (el: Element, attr: string, value: string) => el.setAttribute(attr, value);
const later = (ms: number) => new Date(Date.now() + ms).toISOString();
/** Not an xs:dateTime in UTC: the format AgID's cases 13, 38, 65, 77, 81 use. */
const BAD_INSTANT = "2026/01/01 10:00:00";

const mutation = (label: string, apply: ResponseMutation["apply"], afterSigning = false): ResponseMutation => ({
  label,
  apply,
  afterSigning,
});

export const RESPONSE_MUTATIONS = {
  // Response
  "response-id-missing": mutation("[9] Response senza attributo ID", (d) => unset(response(d), "ID"), true),
  "response-version": mutation("[10] Response con Version diverso da 2.0", (d) => set(response(d), "Version", "1.0")),
  "response-issue-instant-missing": mutation("[12] Response senza IssueInstant", (d) =>
    unset(response(d), "IssueInstant"),
  ),
  "response-issue-instant-format": mutation("[13] Response con IssueInstant in formato non corretto", (d) =>
    set(response(d), "IssueInstant", BAD_INSTANT),
  ),
  "response-issue-instant-future": mutation("[15] Response con IssueInstant successivo alla ricezione", (d) =>
    set(response(d), "IssueInstant", later(3_600_000)),
  ),
  "response-in-response-to-empty": mutation("[16] Response con InResponseTo vuoto", (d) =>
    set(response(d), "InResponseTo", ""),
  ),
  "response-destination-empty": mutation("[19] Response con Destination vuoto", (d) =>
    set(response(d), "Destination", ""),
  ),
  "response-destination-missing": mutation("[20] Response senza Destination", (d) => unset(response(d), "Destination")),
  "status-missing": mutation("[23] Response senza Status", (d) => remove(first(d, NS.samlp, "Status"))),
  "status-code-missing": mutation("[24] Status senza StatusCode", (d) => remove(first(d, NS.samlp, "StatusCode"))),
  "status-not-success": mutation("[26] StatusCode Requester senza codice di anomalia", (d) =>
    set(first(d, NS.samlp, "StatusCode"), "Value", "urn:oasis:names:tc:SAML:2.0:status:Requester"),
  ),
  "response-issuer-empty": mutation("[27] Issuer della Response vuoto", (d) => (responseIssuer(d).textContent = "")),
  "response-issuer-missing": mutation("[28] Response senza Issuer", (d) => remove(responseIssuer(d))),
  "response-issuer-format-wrong": mutation("[30] Format dell'Issuer della Response diverso da entity", (d) =>
    set(responseIssuer(d), "Format", "urn:oasis:names:tc:SAML:2.0:nameid-format:transient"),
  ),
  "response-issuer-format-omitted": mutation("[31] Format dell'Issuer della Response omesso (valida)", (d) =>
    unset(responseIssuer(d), "Format"),
  ),
  "assertion-missing": mutation("[32] Esito positivo senza Assertion", (d) => remove(assertion(d))),
  // Assertion
  "assertion-id-missing": mutation("[34] Assertion senza attributo ID", (d) => unset(assertion(d), "ID"), true),
  "assertion-version": mutation("[35] Assertion con Version diverso da 2.0", (d) =>
    set(assertion(d), "Version", "1.0"),
  ),
  "assertion-issue-instant-missing": mutation("[37] Assertion senza IssueInstant", (d) =>
    unset(assertion(d), "IssueInstant"),
  ),
  "assertion-issue-instant-format": mutation("[38] IssueInstant dell'Assertion in formato non corretto", (d) =>
    set(assertion(d), "IssueInstant", BAD_INSTANT),
  ),
  "assertion-issue-instant-future": mutation("[40] IssueInstant dell'Assertion nel futuro", (d) =>
    set(assertion(d), "IssueInstant", later(3_600_000)),
  ),
  "subject-missing": mutation("[42] Assertion senza Subject", (d) => remove(first(d, NS.saml, "Subject"))),
  "name-id-empty": mutation("[43] NameID vuoto", (d) => (first(d, NS.saml, "NameID").textContent = "")),
  "name-id-missing": mutation("[44] Subject senza NameID", (d) => remove(first(d, NS.saml, "NameID"))),
  "name-id-format-missing": mutation("[46] NameID senza Format", (d) => unset(first(d, NS.saml, "NameID"), "Format")),
  "name-id-format-wrong": mutation("[47] Format di NameID diverso da transient", (d) =>
    set(first(d, NS.saml, "NameID"), "Format", "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"),
  ),
  "name-id-qualifier-empty": mutation("[48] NameQualifier di NameID vuoto", (d) =>
    set(first(d, NS.saml, "NameID"), "NameQualifier", ""),
  ),
  "name-id-qualifier-missing": mutation("[49] NameID senza NameQualifier", (d) =>
    unset(first(d, NS.saml, "NameID"), "NameQualifier"),
  ),
  "subject-confirmation-missing": mutation("[52] Subject senza SubjectConfirmation", (d) =>
    remove(first(d, NS.saml, "SubjectConfirmation")),
  ),
  "subject-confirmation-method-empty": mutation("[53] Method di SubjectConfirmation vuoto", (d) =>
    set(first(d, NS.saml, "SubjectConfirmation"), "Method", ""),
  ),
  "subject-confirmation-method-missing": mutation("[54] SubjectConfirmation senza Method", (d) =>
    unset(first(d, NS.saml, "SubjectConfirmation"), "Method"),
  ),
  "subject-confirmation-method-wrong": mutation("[55] Method di SubjectConfirmation diverso da bearer", (d) =>
    set(first(d, NS.saml, "SubjectConfirmation"), "Method", "urn:oasis:names:tc:SAML:2.0:cm:holder-of-key"),
  ),
  "subject-confirmation-data-missing": mutation("[56] SubjectConfirmation senza SubjectConfirmationData", (d) =>
    remove(first(d, NS.saml, "SubjectConfirmationData")),
  ),
  "recipient-missing": mutation("[58] SubjectConfirmationData senza Recipient", (d) =>
    unset(first(d, NS.saml, "SubjectConfirmationData"), "Recipient"),
  ),
  "confirmation-in-response-to-missing": mutation("[61] SubjectConfirmationData senza InResponseTo", (d) =>
    unset(first(d, NS.saml, "SubjectConfirmationData"), "InResponseTo"),
  ),
  "confirmation-not-on-or-after-missing": mutation("[64] SubjectConfirmationData senza NotOnOrAfter", (d) =>
    unset(first(d, NS.saml, "SubjectConfirmationData"), "NotOnOrAfter"),
  ),
  "confirmation-not-on-or-after-format": mutation(
    "[65] NotOnOrAfter di SubjectConfirmationData in formato non corretto",
    (d) => set(first(d, NS.saml, "SubjectConfirmationData"), "NotOnOrAfter", BAD_INSTANT),
  ),
  "confirmation-expired": mutation("[66] NotOnOrAfter di SubjectConfirmationData nel passato", (d) =>
    set(first(d, NS.saml, "SubjectConfirmationData"), "NotOnOrAfter", later(-3_600_000)),
  ),
  "assertion-issuer-missing": mutation("[68] Assertion senza Issuer", (d) => remove(assertionIssuer(d))),
  "assertion-issuer-wrong": mutation(
    "[69] Issuer dell'Assertion diverso dall'entityID dell'IdP",
    (d) => (assertionIssuer(d).textContent = "https://idp.altro.test"),
  ),
  "assertion-issuer-format-empty": mutation("[70] Format dell'Issuer dell'Assertion vuoto", (d) =>
    set(assertionIssuer(d), "Format", ""),
  ),
  "assertion-issuer-format-missing": mutation("[71] Issuer dell'Assertion senza Format", (d) =>
    unset(assertionIssuer(d), "Format"),
  ),
  "assertion-issuer-format-wrong": mutation("[72] Format dell'Issuer dell'Assertion diverso da entity", (d) =>
    set(assertionIssuer(d), "Format", "urn:oasis:names:tc:SAML:2.0:nameid-format:transient"),
  ),
  "conditions-missing": mutation("[74] Assertion senza Conditions", (d) => remove(first(d, NS.saml, "Conditions"))),
  "not-before-missing": mutation("[76] Conditions senza NotBefore", (d) =>
    unset(first(d, NS.saml, "Conditions"), "NotBefore"),
  ),
  "not-before-format": mutation("[77] NotBefore in formato non corretto", (d) =>
    set(first(d, NS.saml, "Conditions"), "NotBefore", BAD_INSTANT),
  ),
  "not-on-or-after-missing": mutation("[80] Conditions senza NotOnOrAfter", (d) =>
    unset(first(d, NS.saml, "Conditions"), "NotOnOrAfter"),
  ),
  "not-on-or-after-format": mutation("[81] NotOnOrAfter di Conditions in formato non corretto", (d) =>
    set(first(d, NS.saml, "Conditions"), "NotOnOrAfter", BAD_INSTANT),
  ),
  "audience-restriction-missing": mutation("[83] Conditions senza AudienceRestriction", (d) =>
    remove(first(d, NS.saml, "AudienceRestriction")),
  ),
  "audience-missing": mutation("[86] AudienceRestriction senza Audience", (d) => remove(first(d, NS.saml, "Audience"))),
  "authn-statement-missing": mutation("[89] Assertion senza AuthnStatement", (d) =>
    remove(first(d, NS.saml, "AuthnStatement")),
  ),
  "authn-context-missing": mutation("[90] AuthnStatement senza AuthnContext", (d) =>
    remove(first(d, NS.saml, "AuthnContext")),
  ),
  "authn-context-class-ref-empty": mutation(
    "[92] AuthnContextClassRef vuoto",
    (d) => (first(d, NS.saml, "AuthnContextClassRef").textContent = ""),
  ),
  "authn-context-class-ref-missing": mutation("[93] AuthnContext senza AuthnContextClassRef", (d) =>
    remove(first(d, NS.saml, "AuthnContextClassRef")),
  ),
  "authn-context-class-ref-unknown": mutation(
    "[97] AuthnContextClassRef non previsto",
    (d) => (first(d, NS.saml, "AuthnContextClassRef").textContent = "urn:oasis:names:tc:SAML:2.0:ac:classes:SpidL2"),
  ),
  "attribute-statement-empty": mutation("[98] AttributeStatement senza Attribute", (d) => {
    const statement = first(d, NS.saml, "AttributeStatement");
    while (statement.firstChild) statement.removeChild(statement.firstChild);
  }),
  "attributes-without-name-format": mutation("[109] Attributi senza NameFormat (valida)", (d) => {
    for (const a of descendants(d, NS.saml, "Attribute")) unset(a, "NameFormat");
  }),
  "higher-level": mutation("[95-96] Livello superiore a quello richiesto (valida)", (d, req) => {
    first(d, NS.saml, "AuthnContextClassRef").textContent =
      `https://www.spid.gov.it/SpidL${Math.min(req.requestedLevel + 1, 3)}`;
  }),
} satisfies Record<string, ResponseMutation>;

export type MutationScenario = keyof typeof RESPONSE_MUTATIONS;

/** The labels, for the scenario list. */
export const MUTATION_LABELS = Object.fromEntries(
  Object.entries(RESPONSE_MUTATIONS).map(([k, m]) => [k, m.label]),
) as Record<MutationScenario, string>;

export const isMutation = (scenario: string): scenario is MutationScenario =>
  Object.hasOwn(RESPONSE_MUTATIONS, scenario);
