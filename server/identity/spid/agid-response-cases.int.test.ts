import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../../../infra/dev-idp/spid/test-harness.ts";
import { INVALID_RESPONSE, SpidLoginError } from "./spid-errors.ts";
import { validateSpidResponse, type ValidationContext } from "./validate-response.ts";

// The test IdP's own SP (infra/dev-idp/spid/test-sp.ts) asks for these attributes at index 0.
const ATTRIBUTES = ["spidCode", "name", "familyName", "fiscalNumber", "email", "dateOfBirth"];

/**
 * AgID's SP validator cases (spid-sp-test "test-suite-1"), played by the SPID test IdP one
 * deviation at a time (infra/dev-idp/spid/response-mutations.ts), each signed as a real IdP would
 * unless the deviation makes that impossible. With validate-response.int.test.ts (the signature,
 * wrapping, replay and window cases) this is the SAML negative suite.
 */
const REFUSED: [scenario: string, reason: RegExp][] = [
  ["response-id-missing", /Response not signed|signature refused/],
  ["response-version", /Version is not 2.0/],
  ["response-issue-instant-missing", /Response IssueInstant/],
  ["response-issue-instant-format", /Response IssueInstant: not a UTC/],
  ["response-issue-instant-future", /Response IssueInstant out of range/],
  ["response-in-response-to-empty", /InResponseTo does not match/],
  ["response-destination-empty", /Destination/],
  ["response-destination-missing", /Destination/],
  ["status-missing", /IdP status undefined/],
  ["status-code-missing", /IdP status undefined/],
  ["status-not-success", /IdP status .*Requester code \?/],
  ["response-issuer-empty", /Response Issuer is not the IdP/],
  ["response-issuer-missing", /Response Issuer is not the IdP/],
  ["response-issuer-format-wrong", /Response Issuer Format is not entity/],
  ["assertion-missing", /0 assertions/],
  ["assertion-id-missing", /not signed/],
  ["assertion-version", /Assertion Version is not 2.0/],
  ["assertion-issue-instant-missing", /Assertion IssueInstant|node-saml: Error parsing IssueInstant/],
  ["assertion-issue-instant-format", /Assertion IssueInstant: not a UTC/],
  ["assertion-issue-instant-future", /Assertion IssueInstant out of range/],
  ["subject-missing", /NameID missing/],
  ["name-id-empty", /NameID empty/],
  ["name-id-missing", /NameID missing/],
  ["name-id-format-missing", /not transient/],
  ["name-id-format-wrong", /not transient/],
  ["name-id-qualifier-empty", /NameQualifier missing or empty/],
  ["name-id-qualifier-missing", /NameQualifier missing or empty/],
  ["subject-confirmation-missing", /0 SubjectConfirmation/],
  ["subject-confirmation-method-empty", /Method missing or not bearer/],
  ["subject-confirmation-method-missing", /Method missing or not bearer/],
  ["subject-confirmation-method-wrong", /Method missing or not bearer/],
  ["subject-confirmation-data-missing", /Recipient|node-saml: No valid subject confirmation/],
  ["recipient-missing", /Recipient/],
  ["confirmation-in-response-to-missing", /SubjectConfirmationData InResponseTo/],
  [
    "confirmation-not-on-or-after-missing",
    /SubjectConfirmationData NotOnOrAfter|node-saml: Error parsing NotOnOrAfter/,
  ],
  [
    "confirmation-not-on-or-after-format",
    /SubjectConfirmationData NotOnOrAfter: not a UTC|node-saml: No valid subject confirmation/,
  ],
  ["confirmation-expired", /expired \(SubjectConfirmationData\)|node-saml: No valid subject confirmation/],
  ["assertion-issuer-missing", /Assertion Issuer is not the IdP/],
  ["assertion-issuer-wrong", /Assertion Issuer is not the IdP/],
  ["assertion-issuer-format-empty", /Assertion Issuer Format missing or not entity/],
  ["assertion-issuer-format-missing", /Assertion Issuer Format missing or not entity/],
  ["assertion-issuer-format-wrong", /Assertion Issuer Format missing or not entity/],
  ["conditions-missing", /Conditions missing|node-saml: Cannot read properties of null/],
  ["not-before-missing", /NotBefore/],
  ["not-before-format", /NotBefore: not a UTC/],
  ["not-on-or-after-missing", /Conditions NotOnOrAfter|node-saml: Error parsing NotOnOrAfter/],
  ["not-on-or-after-format", /Conditions NotOnOrAfter: not a UTC|node-saml: SAML assertion expired/],
  ["audience-restriction-missing", /Audience/],
  ["audience-missing", /Audience/],
  ["authn-statement-missing", /AuthnContextClassRef/],
  ["authn-context-missing", /AuthnContextClassRef/],
  ["authn-context-class-ref-empty", /AuthnContextClassRef/],
  ["authn-context-class-ref-missing", /AuthnContextClassRef/],
  ["authn-context-class-ref-unknown", /AuthnContextClassRef urn:oasis/],
  ["attribute-statement-empty", /attributes/],
];

describe("the AgID validator's malformed Responses, from the SPID test IdP", () => {
  let idp: Harness;
  beforeAll(async () => {
    idp = await startHarness();
  });
  afterAll(async () => {
    await idp.close();
  });

  async function respond(scenario: string, level: 1 | 2 = 2) {
    const issueInstant = new Date().toISOString();
    const posted = await idp.loginAs({ scenario, fields: { issueInstant, level } });
    if (!posted.xml) throw new Error(`the test IdP sent no Response for ${scenario}: ${posted.status}`);
    const ctx: ValidationContext = {
      spEntityId: idp.sp.entityId,
      acsUrl: idp.sp.acsUrl,
      idpEntityId: idp.baseUrl,
      idpCertificates: [idp.idpCertificate],
      request: { id: posted.requestId, issueInstant, level, attributes: ATTRIBUTES },
    };
    return { samlResponse: Buffer.from(posted.xml).toString("base64"), ctx, xml: posted.xml };
  }

  it("has the suite AgID's checks call for: with the signature and replay cases, over 40 refusals", () => {
    expect(new Set(REFUSED.map(([s]) => s)).size).toBe(REFUSED.length);
    expect(REFUSED.length).toBeGreaterThanOrEqual(40);
  });

  it.each(REFUSED)("refuses %s with the generic message", async (scenario, reason) => {
    const { samlResponse, ctx } = await respond(scenario);
    let refused: unknown;
    try {
      await validateSpidResponse(samlResponse, ctx);
    } catch (err) {
      refused = err;
    }
    expect(refused, `${scenario} was accepted`).toBeInstanceOf(SpidLoginError);
    expect((refused as SpidLoginError).reason).toMatch(reason);
    expect((refused as SpidLoginError).message).toBe(INVALID_RESPONSE);
  });

  it("accepts the valid variants: Response Issuer without Format, attributes without NameFormat, IssueInstant with milliseconds", async () => {
    for (const scenario of ["response-issuer-format-omitted", "attributes-without-name-format", "ok"]) {
      const { samlResponse, ctx, xml } = await respond(scenario);
      expect((await validateSpidResponse(samlResponse, ctx)).fiscalCode).toBe("RSSMRA80A01H501U");
      if (scenario === "ok") expect(xml).toMatch(/IssueInstant="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"/);
      if (scenario === "response-issuer-format-omitted") expect(xml).toMatch(/<samlp:Response [^>]*><saml:Issuer>/);
    }
  });

  it("accepts a level higher than the one asked", async () => {
    const { samlResponse, ctx } = await respond("higher-level", 1);
    expect((await validateSpidResponse(samlResponse, ctx)).level).toBe(2);
  });
});
