import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SCENARIOS } from "./scenarios.ts";
import { inspectResponse, startHarness, verifyElementSignature, type Harness } from "./test-harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

async function setScenario(scenario: string, once = false) {
  return fetch(`${h.baseUrl}/admin/scenario`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ scenario, once }),
  });
}

/** Logs in with the scenario picked on the login page and returns the verified views of the Response. */
async function run(scenario: string, fields = {}) {
  const r = await h.loginAs({ scenario, fields });
  const xml = r.xml as string;
  const v = inspectResponse(xml);
  return {
    ...v,
    xml,
    requestId: r.requestId,
    action: r.action,
    responseSigned: verifyElementSignature(xml, v.root, h.idpCertificate),
    assertionSigned: v.assertion ? verifyElementSignature(xml, v.assertion, h.idpCertificate) : false,
  };
}

describe("test scenarios chosen on the login page", () => {
  beforeEach(async () => {
    await setScenario("ok");
  });

  it("ok: both signatures verify", async () => {
    const v = await run("ok");
    expect([v.responseSigned, v.assertionSigned]).toEqual([true, true]);
  });

  it("unsigned-assertion: Response signed, Assertion without signature", async () => {
    const v = await run("unsigned-assertion");
    expect(v.responseSigned).toBe(true);
    expect(v.assertion?.getElementsByTagNameNS("http://www.w3.org/2000/09/xmldsig#", "Signature").length).toBe(0);
  });

  it("unsigned-response: Assertion signed, Response without its own signature", async () => {
    const v = await run("unsigned-response");
    expect(v.assertionSigned).toBe(true);
    expect(v.responseSigned).toBe(false);
    expect(v.doc.getElementsByTagNameNS("http://www.w3.org/2000/09/xmldsig#", "Signature").length).toBe(1);
  });

  it("signature-wrapping: the genuine assertion still verifies, a forged unsigned one comes first", async () => {
    const v = await run("signature-wrapping");
    expect(v.assertions).toHaveLength(2);
    const [evil, genuine] = v.assertions as [Element, Element];
    expect(verifyElementSignature(v.xml, genuine, h.idpCertificate)).toBe(true);
    expect(evil.getElementsByTagNameNS("http://www.w3.org/2000/09/xmldsig#", "Signature").length).toBe(0);
    expect(evil.getAttribute("ID")).not.toBe(genuine.getAttribute("ID"));
    expect(evil.textContent).toContain("TINIT-VRDGPP13R10B293P");
    expect(genuine.textContent).toContain("TINIT-RSSMRA80A01H501U");
  });

  it("wrong-audience, wrong-destination, wrong-recipient: signed, with the one field wrong", async () => {
    const audience = await run("wrong-audience");
    expect(audience.audience).not.toBe(h.sp.entityId);
    expect(audience.assertionSigned && audience.responseSigned).toBe(true);
    const destination = await run("wrong-destination");
    expect(destination.root.getAttribute("Destination")).not.toBe(h.sp.acsUrl);
    expect(destination.action).toBe(h.sp.acsUrl);
    expect(destination.subjectConfirmationData?.getAttribute("Recipient")).toBe(h.sp.acsUrl);
    const recipient = await run("wrong-recipient");
    expect(recipient.subjectConfirmationData?.getAttribute("Recipient")).not.toBe(h.sp.acsUrl);
    expect(recipient.root.getAttribute("Destination")).toBe(h.sp.acsUrl);
    expect(recipient.assertionSigned).toBe(true);
  });

  it("expired-assertion and not-yet-valid: validity windows outside now", async () => {
    const expired = await run("expired-assertion");
    expect(Date.parse(expired.conditions?.getAttribute("NotOnOrAfter") ?? "")).toBeLessThan(Date.now());
    expect(Date.parse(expired.subjectConfirmationData?.getAttribute("NotOnOrAfter") ?? "")).toBeLessThan(Date.now());
    expect(expired.assertionSigned).toBe(true);
    const future = await run("not-yet-valid");
    expect(Date.parse(future.conditions?.getAttribute("NotBefore") ?? "")).toBeGreaterThan(Date.now());
    expect(future.assertionSigned).toBe(true);
  });

  it("wrong-in-response-to and missing-in-response-to", async () => {
    const wrong = await run("wrong-in-response-to");
    expect(wrong.root.getAttribute("InResponseTo")).not.toBe(wrong.requestId);
    expect(wrong.subjectConfirmationData?.getAttribute("InResponseTo")).not.toBe(wrong.requestId);
    expect(wrong.root.getAttribute("InResponseTo")).toMatch(/^_/);
    const missing = await run("missing-in-response-to");
    expect(missing.root.hasAttribute("InResponseTo")).toBe(false);
    expect(missing.subjectConfirmationData?.hasAttribute("InResponseTo")).toBe(false);
    expect(missing.assertionSigned).toBe(true);
  });

  it("lower-level: SpidL1 although SpidL2 was requested", async () => {
    const v = await run("lower-level", { level: 2 });
    expect(v.classRef).toBe("https://www.spid.gov.it/SpidL1");
    expect(v.assertionSigned).toBe(true);
  });

  it("extra-attributes and missing-attributes", async () => {
    const requested = h.sp.attributes;
    const extra = await run("extra-attributes");
    expect(Object.keys(extra.attributes)).toEqual(expect.arrayContaining(requested));
    expect(Object.keys(extra.attributes).filter((a) => !requested.includes(a))).toContain("mobilePhone");
    const missing = await run("missing-attributes");
    expect(Object.keys(missing.attributes)).toHaveLength(requested.length - 1);
    expect(missing.assertionSigned).toBe(true);
  });

  it("issue-instant-before-request: Response and Assertion issued before the AuthnRequest", async () => {
    const before = new Date().toISOString();
    const v = await run("issue-instant-before-request", { issueInstant: before });
    expect(Date.parse(v.root.getAttribute("IssueInstant") ?? "")).toBeLessThan(Date.parse(before));
    expect(Date.parse(v.assertion?.getAttribute("IssueInstant") ?? "")).toBeLessThan(Date.parse(before));
  });

  it("tampered-attribute-after-signing: fiscalNumber changed, both signatures fail", async () => {
    const v = await run("tampered-attribute-after-signing");
    expect(v.attributes.fiscalNumber).toBe("TINIT-VRDGPP13R10B293P");
    expect(v.assertionSigned).toBe(false);
    expect(v.responseSigned).toBe(false);
  });

  it("signed-with-other-key: well-formed signatures that fail against the metadata certificate", async () => {
    const v = await run("signed-with-other-key");
    expect(v.assertionSigned).toBe(false);
    expect(v.responseSigned).toBe(false);
    const embedded =
      v.doc.getElementsByTagNameNS("http://www.w3.org/2000/09/xmldsig#", "X509Certificate")[0]?.textContent ?? "";
    expect(embedded.length).toBeGreaterThan(100);
    expect(h.idpCertificate.replace(/-----[^-]+-----|\s/g, "")).not.toBe(embedded);
  });

  it("wrong-issuer: Issuer is not the IdP entity id", async () => {
    const v = await run("wrong-issuer");
    expect(v.root.getElementsByTagNameNS("urn:oasis:names:tc:SAML:2.0:assertion", "Issuer")[0]?.textContent).not.toBe(
      h.baseUrl,
    );
    expect(v.assertionSigned).toBe(true);
  });

  it("replay: resends byte for byte the last Response", async () => {
    const first = await h.loginAs({ scenario: "ok" });
    const replayed = await h.loginAs({ scenario: "replay" });
    expect(replayed.xml).toBe(first.xml);
    expect(inspectResponse(replayed.xml as string).root.getAttribute("InResponseTo")).toBe(first.requestId);
  });

  it.each([19, 20, 21, 22, 23, 25])(
    "status-nr%i: signed error Response with StatusMessage ErrorCode nr%i",
    async (code) => {
      const v = await run(`status-nr${code}`);
      expect(v.statusMessage).toBe(`ErrorCode nr${code}`);
      expect(v.statusCodes[0]).toBe("urn:oasis:names:tc:SAML:2.0:status:Responder");
      expect(v.assertions).toHaveLength(0);
      expect(v.responseSigned).toBe(true);
      expect(v.root.getAttribute("InResponseTo")).toBe(v.requestId);
    },
  );

  it("lists every scenario in the hidden select of the login page", async () => {
    const page = await h.sso();
    for (const name of Object.keys(SCENARIOS)) expect(page.html).toContain(`<option value="${name}"`);
  });
});

describe("POST /admin/scenario", () => {
  it("applies a one-shot scenario to the next Response only", async () => {
    const set = await setScenario("lower-level", true);
    expect(await set.json()).toEqual({ scenario: "lower-level", once: true });
    expect(inspectResponse((await h.loginAs()).xml as string).classRef).toBe("https://www.spid.gov.it/SpidL1");
    expect(inspectResponse((await h.loginAs()).xml as string).classRef).toBe("https://www.spid.gov.it/SpidL2");
  });

  it("keeps a persistent scenario until changed, and the login page choice overrides it", async () => {
    await setScenario("status-nr22");
    expect(inspectResponse((await h.loginAs()).xml as string).statusMessage).toBe("ErrorCode nr22");
    expect(inspectResponse((await h.loginAs()).xml as string).statusMessage).toBe("ErrorCode nr22");
    expect(inspectResponse((await h.loginAs({ scenario: "ok" })).xml as string).statusMessage).toBeUndefined();
    await setScenario("ok");
  });

  it("refuses an unknown scenario", async () => {
    const res = await setScenario("inventato");
    expect(res.status).toBe(400);
    expect((await res.json()).available).toContain("signature-wrapping");
  });
});
