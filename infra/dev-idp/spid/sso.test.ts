import { createSign } from "node:crypto";
import { deflateRawSync } from "node:zlib";
import { SignedXml } from "xml-crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inspectResponse, startHarness, verifyElementSignature, type Harness } from "./test-harness.ts";
import { authnRequestXml, createTestSp, postMessage, redirectQuery } from "./test-sp.ts";
import { NS, child, parseXml, verifyEnvelopedRoot } from "./xml.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

describe("GET /metadata", () => {
  it("publishes signed SPID IdP metadata", async () => {
    const res = await fetch(`${h.baseUrl}/metadata`);
    const xml = await res.text();
    const doc = parseXml(xml) as Document;
    const root = doc.documentElement;
    expect(root.getAttribute("entityID")).toBe(h.baseUrl);
    const idp = child(root, NS.md, "IDPSSODescriptor") as Element;
    expect(idp.getAttribute("WantAuthnRequestsSigned")).toBe("true");
    expect(idp.getAttribute("protocolSupportEnumeration")).toBe("urn:oasis:names:tc:SAML:2.0:protocol");
    const sso = Array.from(idp.getElementsByTagNameNS(NS.md, "SingleSignOnService")).map((e) => [
      e.getAttribute("Binding"),
      e.getAttribute("Location"),
    ]);
    expect(sso).toEqual([
      ["urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect", `${h.baseUrl}/sso`],
      ["urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST", `${h.baseUrl}/sso`],
    ]);
    expect(idp.getElementsByTagNameNS(NS.md, "SingleLogoutService").length).toBe(2);
    expect(child(idp, NS.md, "NameIDFormat")?.textContent).toBe("urn:oasis:names:tc:SAML:2.0:nameid-format:transient");
    const offered = Array.from(idp.getElementsByTagNameNS(NS.saml, "Attribute")).map((a) => a.getAttribute("Name"));
    expect(offered).toEqual(expect.arrayContaining(["spidCode", "fiscalNumber", "dateOfBirth", "mobilePhone"]));
    expect(verifyEnvelopedRoot(xml, doc, [h.idpCertificate])).toEqual({ ok: true });
    expect(
      verifyEnvelopedRoot(
        xml.replace("PontePA IdP di test<", "Altro IdP<"),
        parseXml(xml.replace("PontePA IdP di test<", "Altro IdP<")) as Document,
        [h.idpCertificate],
      ),
    ).toEqual({ ok: false, reason: "invalid" });
  });
});

describe("AuthnRequest checks", () => {
  it("accepts a signed HTTP-Redirect request and shows the Italian login page with the OTP field for L2", async () => {
    const r = await h.sso({ level: 2 });
    expect(r.status).toBe(200);
    expect(r.token).toBeTruthy();
    expect(r.html).toContain('<html lang="it">');
    expect(r.html).toContain("livello <strong>SPID 2</strong>");
    expect(r.html).toContain('name="otp"');
    expect(r.html).toContain("<summary>Scenario di test</summary>");
  });

  it("asks no OTP at L1", async () => {
    const r = await h.sso({ level: 1 });
    expect(r.status).toBe(200);
    expect(r.html).not.toContain('name="otp"');
  });

  it("accepts a signed HTTP-POST request", async () => {
    const { id, xml } = authnRequestXml(h.sp, `${h.baseUrl}/sso`);
    const res = await fetch(`${h.baseUrl}/sso`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ SAMLRequest: postMessage(xml, id, h.sp.keys), RelayState: "r" }).toString(),
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('name="token"');
  });

  it("refuses an HTTP-POST request whose signed content was altered (code 5) or that is unsigned (code 7)", async () => {
    const { id, xml } = authnRequestXml(h.sp, `${h.baseUrl}/sso`, { attributeIndex: 1 });
    const signed = Buffer.from(postMessage(xml, id, h.sp.keys), "base64").toString("utf8");
    const tampered = Buffer.from(
      signed.replace('AttributeConsumingServiceIndex="1"', 'AttributeConsumingServiceIndex="0"'),
    ).toString("base64");
    for (const [message, code] of [
      [tampered, "5"],
      [postMessage(xml, id, null), "7"],
    ] as const) {
      const res = await fetch(`${h.baseUrl}/sso`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ SAMLRequest: message }).toString(),
      });
      expect(res.status).toBe(400);
      expect(res.headers.get("x-spid-error-code")).toBe(code);
    }
  });

  it("refuses SHA-1 signatures on either binding (code 7)", async () => {
    const { id, xml } = authnRequestXml(h.sp, `${h.baseUrl}/sso`);
    const sha1 = new SignedXml({
      privateKey: h.sp.keys.privateKeyPem,
      publicCert: h.sp.keys.certificatePem,
      signatureAlgorithm: "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
      canonicalizationAlgorithm: "http://www.w3.org/2001/10/xml-exc-c14n#",
    });
    sha1.addReference({
      xpath: `//*[@ID='${id}']`,
      digestAlgorithm: "http://www.w3.org/2000/09/xmldsig#sha1",
      transforms: ["http://www.w3.org/2000/09/xmldsig#enveloped-signature", "http://www.w3.org/2001/10/xml-exc-c14n#"],
    });
    sha1.computeSignature(xml, {
      prefix: "ds",
      location: { reference: "//*[local-name(.)='Issuer']", action: "after" },
    });
    const post = await fetch(`${h.baseUrl}/sso`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ SAMLRequest: Buffer.from(sha1.getSignedXml()).toString("base64") }).toString(),
    });
    expect(post.headers.get("x-spid-error-code")).toBe("7");

    let query = `SAMLRequest=${encodeURIComponent(deflateRawSync(Buffer.from(xml)).toString("base64"))}`;
    query += `&SigAlg=${encodeURIComponent("http://www.w3.org/2000/09/xmldsig#rsa-sha1")}`;
    const signature = createSign("RSA-SHA1").update(query).sign(h.sp.keys.privateKeyPem, "base64");
    const redirect = await fetch(`${h.baseUrl}/sso?${query}&Signature=${encodeURIComponent(signature)}`);
    expect(redirect.headers.get("x-spid-error-code")).toBe("7");
  });

  it("refuses an unsigned redirect request with code 7 and an Italian error page", async () => {
    const r = await h.sso({}, { sign: false });
    expect(r.status).toBe(400);
    expect(r.errorCode).toBe(7);
    expect(r.html).toContain("Codice di errore SPID 7");
    expect(r.token).toBeUndefined();
  });

  it("refuses a redirect request whose signed parameters were tampered with (code 5)", async () => {
    const r = await h.sso(
      {},
      { relayState: "originale", tamper: (q) => q.replace("RelayState=originale", "RelayState=modificato") },
    );
    expect(r.errorCode).toBe(5);
  });

  it("refuses a request signed by a key that is not in the SP metadata (code 5)", async () => {
    const impostor = createTestSp({ ...h.sp });
    const { xml } = authnRequestXml(h.sp, `${h.baseUrl}/sso`);
    const res = await fetch(`${h.baseUrl}/sso?${redirectQuery("SAMLRequest", xml, impostor.keys)}`);
    expect(res.headers.get("x-spid-error-code")).toBe("5");
  });

  it("refuses a missing SAMLRequest (code 4) and redirect parameters on POST (code 6)", async () => {
    const missing = await fetch(`${h.baseUrl}/sso`);
    expect(missing.headers.get("x-spid-error-code")).toBe("4");
    const wrongMethod = await fetch(`${h.baseUrl}/sso?SAMLRequest=abc`, { method: "POST" });
    expect(wrongMethod.headers.get("x-spid-error-code")).toBe("6");
  });

  const now = Date.now();
  const cases: [string, number, Parameters<Harness["sso"]>[0]][] = [
    ["Version 1.1", 9, { version: "1.1" }],
    ["unknown Issuer", 10, { issuer: "https://sconosciuto.test/sp" }],
    ["Issuer without Format entity", 10, { issuerFormat: null }],
    ["Issuer without NameQualifier", 10, { issuerNameQualifier: null }],
    ["ID starting with a digit", 11, { id: "123abc" }],
    ["no RequestedAuthnContext", 12, { requestedAuthnContext: false }],
    ["non-SPID AuthnContextClassRef", 12, { classRef: "urn:oasis:names:tc:SAML:2.0:ac:classes:Password" }],
    ["no Comparison", 12, { comparison: null }],
    ["IssueInstant 10 minutes old", 13, { issueInstant: new Date(now - 10 * 60_000).toISOString() }],
    ["IssueInstant in the future", 13, { issueInstant: new Date(now + 10 * 60_000).toISOString() }],
    ["IssueInstant without time zone", 13, { issueInstant: "2026-01-01T10:00:00" }],
    ["wrong Destination", 14, { destination: "https://altro-idp.test/sso" }],
    ["IsPassive true", 15, { isPassive: true }],
    ["unregistered ACS URL", 16, { acsIndex: null, acsUrl: "https://sp.pontepa.test/altro" }],
    ["ACS URL and index together", 16, { acsIndex: 0, acsUrl: "https://sp.pontepa.test/spid/acs" }],
    ["unregistered ACS index", 16, { acsIndex: 7 }],
    ["neither ACS URL nor index", 16, { acsIndex: null }],
    ["no NameIDPolicy", 17, { nameIdFormat: null }],
    ["persistent NameIDPolicy", 17, { nameIdFormat: "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent" }],
    ["unregistered AttributeConsumingServiceIndex", 18, { attributeIndex: 9 }],
    ["L2 without ForceAuthn", 8, { level: 2, forceAuthn: null }],
  ];
  it.each(cases)("refuses %s with code %i", async (_name, code, fields) => {
    const r = await h.sso(fields);
    expect(r.status).toBe(400);
    expect(r.errorCode).toBe(code);
    expect(r.html).toContain(`data-spid-error-code="${code}"`);
  });

  it("accepts an ACS given by URL with HTTP-POST binding, and Destination equal to the entity id", async () => {
    const r = await h.sso({ acsIndex: null, acsUrl: h.sp.acsUrl, destination: h.baseUrl });
    expect(r.errorCode).toBeUndefined();
    expect(r.status).toBe(200);
  });
});

describe("login and Response", () => {
  it("logs Mario Rossi in at L2 with OTP and posts a doubly signed SPID Response to the ACS", async () => {
    const r = await h.loginAs({ fields: { level: 2 } });
    expect(r.status).toBe(200);
    expect(r.action).toBe(h.sp.acsUrl);
    expect(r.relayState).toBe("stato-123");
    expect(r.html).toContain(">Continua</button>");
    const xml = r.xml as string;
    const v = inspectResponse(xml);
    expect(verifyElementSignature(xml, v.root, h.idpCertificate)).toBe(true);
    expect(verifyElementSignature(xml, v.assertion as Element, h.idpCertificate)).toBe(true);
    const signatureMethods = Array.from(v.doc.getElementsByTagNameNS(NS.ds, "SignatureMethod")).map((e) =>
      e.getAttribute("Algorithm"),
    );
    expect(signatureMethods).toEqual(Array(2).fill("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"));
    const c14n = Array.from(v.doc.getElementsByTagNameNS(NS.ds, "CanonicalizationMethod")).map((e) =>
      e.getAttribute("Algorithm"),
    );
    expect(c14n).toEqual(Array(2).fill("http://www.w3.org/2001/10/xml-exc-c14n#"));
    // Signature sits right after the Issuer in both elements.
    expect((child(v.root, NS.saml, "Issuer")?.nextSibling as Element).localName).toBe("Signature");
    expect(child(v.root, NS.saml, "Issuer")?.getAttribute("Format")).toBe(
      "urn:oasis:names:tc:SAML:2.0:nameid-format:entity",
    );
    expect(v.root.getAttribute("InResponseTo")).toBe(r.requestId);
    expect(v.root.getAttribute("Destination")).toBe(h.sp.acsUrl);
    expect(v.statusCodes).toEqual(["urn:oasis:names:tc:SAML:2.0:status:Success"]);
    expect(v.assertions).toHaveLength(1);
    expect(v.nameId?.getAttribute("Format")).toBe("urn:oasis:names:tc:SAML:2.0:nameid-format:transient");
    expect(v.nameId?.getAttribute("NameQualifier")).toBe(h.baseUrl);
    expect(v.subjectConfirmationData?.getAttribute("Recipient")).toBe(h.sp.acsUrl);
    expect(v.subjectConfirmationData?.getAttribute("InResponseTo")).toBe(r.requestId);
    expect(Date.parse(v.subjectConfirmationData?.getAttribute("NotOnOrAfter") ?? "")).toBeGreaterThan(Date.now());
    expect(Date.parse(v.conditions?.getAttribute("NotBefore") ?? "")).toBeLessThanOrEqual(Date.now());
    expect(v.audience).toBe(h.sp.entityId);
    expect(v.classRef).toBe("https://www.spid.gov.it/SpidL2");
    expect(v.attributes).toEqual({
      spidCode: "PPTS0000000001",
      name: "Mario",
      familyName: "Rossi",
      fiscalNumber: "TINIT-RSSMRA80A01H501U",
      email: "mario.rossi@example.it",
      dateOfBirth: "1980-01-01",
    });
  });

  it("releases exactly the attributes of the requested AttributeConsumingService", async () => {
    const r = await h.loginAs({ fields: { attributeIndex: 1 }, username: "BNCGLI85M45L736L" });
    expect(inspectResponse(r.xml as string).attributes).toEqual({ fiscalNumber: "TINIT-BNCGLI85M45L736L" });
  });

  it("logs in at L1 without OTP", async () => {
    const started = await h.sso({ level: 1 });
    const r = await h.login(started.token as string, { username: "giulia.bianchi", password: "demo" });
    expect(inspectResponse(r.xml as string).classRef).toBe("https://www.spid.gov.it/SpidL1");
  });

  it("re-asks on a wrong password or OTP and answers ErrorCode nr19 after three failures", async () => {
    const started = await h.sso({ level: 2 });
    const token = started.token as string;
    const first = await h.login(token, { username: "mario.rossi", password: "sbagliata", otp: "123456" });
    expect(first.status).toBe(401);
    expect(first.html).toContain("Tentativi rimasti: 2");
    const second = await h.login(token, { username: "mario.rossi", password: "demo", otp: "12" });
    expect(second.html).toContain("OTP deve essere di 6 cifre");
    const third = await h.login(token, { username: "mario.rossi", password: "x", otp: "123456" });
    const v = inspectResponse(third.xml as string);
    expect(v.statusMessage).toBe("ErrorCode nr19");
    expect(v.assertions).toHaveLength(0);
    expect(verifyElementSignature(third.xml as string, v.root, h.idpCertificate)).toBe(true);
  });

  it("answers ErrorCode nr25 when the user cancels, and nr20 when L3 is required", async () => {
    const cancelled = await h.login((await h.sso()).token as string, { action: "cancel" });
    expect(inspectResponse(cancelled.xml as string).statusMessage).toBe("ErrorCode nr25");
    const l3 = await h.loginAs({ fields: { level: 3 } });
    const v = inspectResponse(l3.xml as string);
    expect(v.statusMessage).toBe("ErrorCode nr20");
    expect(v.statusCodes).toEqual([
      "urn:oasis:names:tc:SAML:2.0:status:Responder",
      "urn:oasis:names:tc:SAML:2.0:status:NoAuthnContext",
    ]);
  });

  it("uses a login session only once", async () => {
    const started = await h.sso();
    await h.login(started.token as string, { username: "mario.rossi", password: "demo", otp: "123456" });
    const again = await h.login(started.token as string, { username: "mario.rossi", password: "demo", otp: "123456" });
    expect(again.status).toBe(400);
    expect(again.xml).toBeUndefined();
  });
});
