import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startHarness, type Harness } from "../../../infra/dev-idp/spid/test-harness.ts";
import { getVerifiedXml } from "@node-saml/node-saml/lib/xml.js";
import { firstUseOfAssertion } from "./replay-guard.ts";
import { parseSamlXml } from "./saml-xml.ts";
import { SPID_STATUS_MESSAGES, INVALID_RESPONSE, SpidLoginError } from "./spid-errors.ts";
import { validateSpidResponse, type ValidationContext } from "./validate-response.ts";

// The test IdP's own SP (infra/dev-idp/spid/test-sp.ts) asks for these attributes at index 0.
const ATTRIBUTES = ["spidCode", "name", "familyName", "fiscalNumber", "email", "dateOfBirth"];

describe("SPID Response validation against the SPID test IdP's real and broken responses", () => {
  let idp: Harness;
  let redis: Redis;
  beforeAll(async () => {
    idp = await startHarness();
    redis = new Redis(inject("redisUrl"));
  });
  afterAll(async () => {
    await idp.close();
    redis.disconnect();
  });

  /** Logs in at the test IdP (level 2 unless said) with a scenario, and validates what it posts back. */
  async function respond(scenario: string, level: 1 | 2 = 2) {
    const issueInstant = new Date().toISOString();
    const posted = await idp.loginAs({ scenario, fields: { issueInstant, level } });
    const ctx: ValidationContext = {
      spEntityId: idp.sp.entityId,
      acsUrl: idp.sp.acsUrl,
      idpEntityId: idp.baseUrl,
      idpCertificates: [idp.idpCertificate],
      request: { id: posted.requestId, issueInstant, level, attributes: ATTRIBUTES },
    };
    return { samlResponse: Buffer.from(posted.xml!).toString("base64"), ctx };
  }
  const refusal = async (scenario: string) => {
    const { samlResponse, ctx } = await respond(scenario);
    try {
      await validateSpidResponse(samlResponse, ctx);
    } catch (err) {
      expect(err).toBeInstanceOf(SpidLoginError);
      return err as SpidLoginError;
    }
    throw new Error(`scenario ${scenario} was accepted`);
  };

  it("accepts a correct level-2 response and reads the identity", async () => {
    const { samlResponse, ctx } = await respond("ok");
    const who = await validateSpidResponse(samlResponse, ctx);
    expect(who).toMatchObject({
      fiscalCode: "RSSMRA80A01H501U",
      name: "Mario",
      familyName: "Rossi",
      level: 2,
      idp: idp.baseUrl,
    });
    expect(who.nameId).not.toBe("");
    expect(who.sessionIndex).not.toBeNull();
  });

  it.each([
    ["unsigned-assertion", /assertion not signed/],
    ["unsigned-response", /Response not signed/],
    ["signature-wrapping", /assertions|not signed|signature refused/],
    ["tampered-attribute-after-signing", /not signed/],
    ["signed-with-other-key", /not signed/],
    // The IdP's own key, but SHA-1: node-saml would verify it, the SPID layer refuses it.
    ["signed-with-rsa-sha1", /Response signed with a signature algorithm .*rsa-sha1/],
    ["wrong-audience", /Audience|audience mismatch/],
    ["wrong-destination", /Destination/],
    ["wrong-recipient", /Recipient/],
    ["expired-assertion", /expired|node-saml: No valid subject confirmation/],
    ["not-yet-valid", /not yet valid/],
    ["wrong-in-response-to", /InResponseTo/],
    ["missing-in-response-to", /InResponseTo/],
    ["extra-attributes", /attributes/],
    ["missing-attributes", /attributes/],
    ["issue-instant-before-request", /IssueInstant/],
    ["wrong-issuer", /Issuer/],
  ])("refuses %s with the generic message", async (scenario, reason) => {
    const err = await refusal(scenario);
    expect(err.reason).toMatch(reason);
    expect(err.message).toBe(INVALID_RESPONSE);
  });

  it("refuses RSA-SHA1 by the IdP's own key, which node-saml alone would accept (the SPID layer's rule)", async () => {
    const { samlResponse, ctx } = await respond("signed-with-rsa-sha1");
    const xml = Buffer.from(samlResponse, "base64").toString("utf8");
    expect(xml).toContain('Algorithm="http://www.w3.org/2000/09/xmldsig#rsa-sha1"');
    expect(getVerifiedXml(xml, parseSamlXml(xml)!.documentElement, ctx.idpCertificates)).not.toBeNull();
    await expect(validateSpidResponse(samlResponse, ctx)).rejects.toThrow(INVALID_RESPONSE);
  });

  it("refuses a level lower than the one asked, saying why", async () => {
    const err = await refusal("lower-level");
    expect(err.reason).toMatch(/level 1 below 2/);
    expect(err.message).toBe(SPID_STATUS_MESSAGES[20]);
  });

  it.each([19, 20, 21, 22, 23, 25])("shows the IdP's anomaly nr%i with its own message", async (code) => {
    const err = await refusal(`status-nr${code}`);
    expect(err.spidCode).toBe(code);
    expect(err.message).toBe(SPID_STATUS_MESSAGES[code]);
  });

  it("refuses a replayed response: the IdP's resend and the same assertion posted twice", async () => {
    const { samlResponse, ctx } = await respond("ok");
    const who = await validateSpidResponse(samlResponse, ctx);
    const prefix = `spid-test-${process.pid}`;
    expect(await firstUseOfAssertion(redis, prefix, who.idp, who.assertionId, who.notOnOrAfter)).toBe(true);
    expect(await firstUseOfAssertion(redis, prefix, who.idp, who.assertionId, who.notOnOrAfter)).toBe(false);
    // The IdP's "replay" scenario resends its last Response to a new request.
    expect((await refusal("replay")).reason).toMatch(/InResponseTo/);
  });

  it("refuses a DOCTYPE and what is not a SAML response", async () => {
    const ctx = {
      spEntityId: "x",
      acsUrl: "x",
      idpEntityId: "x",
      idpCertificates: [],
      request: { id: "_a", issueInstant: new Date().toISOString(), level: 2 as const, attributes: [] },
    };
    const b64 = (s: string) => Buffer.from(s).toString("base64");
    await expect(
      validateSpidResponse(b64('<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'), ctx),
    ).rejects.toThrow(INVALID_RESPONSE);
    await expect(validateSpidResponse(b64("<html/>"), ctx)).rejects.toThrow(INVALID_RESPONSE);
    await expect(validateSpidResponse("not base64 at all !!!", ctx)).rejects.toThrow(INVALID_RESPONSE);
  });
});
