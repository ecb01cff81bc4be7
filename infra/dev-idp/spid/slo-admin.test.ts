import { inflateRawSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readPostForm, startHarness, verifyElementSignature, type Harness } from "./test-harness.ts";
import { authnRequestXml, createTestSp, logoutRequestXml, postMessage, redirectQuery } from "./test-sp.ts";
import { NS, parseXml, verifyRedirectSignature } from "./xml.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

describe("GET|POST /slo", () => {
  it("answers a signed redirect LogoutRequest with a signed LogoutResponse posted to the SP", async () => {
    const { id, xml } = logoutRequestXml(h.sp, `${h.baseUrl}/slo`);
    const res = await fetch(`${h.baseUrl}/slo?${redirectQuery("SAMLRequest", xml, h.sp.keys, "rs")}`);
    const posted = readPostForm(res.status, await res.text());
    expect(posted.status).toBe(200);
    expect(posted.action).toBe(h.sp.sloUrl);
    expect(posted.relayState).toBe("rs");
    const doc = parseXml(posted.xml as string) as Document;
    const root = doc.documentElement;
    expect(root.localName).toBe("LogoutResponse");
    expect(root.getAttribute("InResponseTo")).toBe(id);
    expect(root.getElementsByTagNameNS(NS.samlp, "StatusCode")[0]?.getAttribute("Value")).toBe(
      "urn:oasis:names:tc:SAML:2.0:status:Success",
    );
    expect(verifyElementSignature(posted.xml as string, root, h.idpCertificate)).toBe(true);
  });

  it("accepts a signed HTTP-POST LogoutRequest and refuses an unsigned one or one without SessionIndex", async () => {
    const post = (body: Record<string, string>) =>
      fetch(`${h.baseUrl}/slo`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(body).toString(),
      });
    const good = logoutRequestXml(h.sp, `${h.baseUrl}/slo`);
    expect((await post({ SAMLRequest: postMessage(good.xml, good.id, h.sp.keys) })).status).toBe(200);
    expect((await post({ SAMLRequest: postMessage(good.xml, good.id, null) })).headers.get("x-spid-error-code")).toBe(
      "7",
    );
    const noSession = logoutRequestXml(h.sp, `${h.baseUrl}/slo`, { sessionIndex: null });
    expect(
      (await post({ SAMLRequest: postMessage(noSession.xml, noSession.id, h.sp.keys) })).headers.get(
        "x-spid-error-code",
      ),
    ).toBe("8");
  });

  it("answers by signed HTTP-Redirect when the SP only has a redirect SingleLogoutService", async () => {
    const sp = createTestSp({
      entityId: "https://redirect-only.pontepa.test/sp",
      acsUrl: "https://redirect-only.pontepa.test/acs",
      sloUrl: "https://redirect-only.pontepa.test/slo",
    });
    const metadata = sp.metadataXml.replace(
      /<md:SingleLogoutService Binding="[^"]+"/,
      '<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"',
    );
    await fetch(`${h.baseUrl}/admin/sp-metadata`, {
      method: "POST",
      headers: { "content-type": "application/xml" },
      body: metadata,
    });
    const { id, xml } = logoutRequestXml(sp, `${h.baseUrl}/slo`);
    const res = await fetch(`${h.baseUrl}/slo?${redirectQuery("SAMLRequest", xml, sp.keys)}`, { redirect: "manual" });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get("location") as string);
    expect(`${location.origin}${location.pathname}`).toBe(sp.sloUrl);
    expect(verifyRedirectSignature(location.search.slice(1), "SAMLResponse", [h.idpCertificate])).toBe("ok");
    const response = inflateRawSync(
      Buffer.from(location.searchParams.get("SAMLResponse") as string, "base64"),
    ).toString("utf8");
    expect(response).toContain(`InResponseTo="${id}"`);
  });
});

describe("POST /admin/sp-metadata", () => {
  it("registers an SP at run time, which can then log in", async () => {
    const sp = createTestSp({
      entityId: "https://nuovo.pontepa.test/sp",
      acsUrl: "https://nuovo.pontepa.test/acs",
      sloUrl: "https://nuovo.pontepa.test/slo",
      attributes: ["email"],
    });
    const { xml } = authnRequestXml(sp, `${h.baseUrl}/sso`);
    const before = await fetch(`${h.baseUrl}/sso?${redirectQuery("SAMLRequest", xml, sp.keys)}`);
    expect(before.headers.get("x-spid-error-code")).toBe("10");

    const reg = await fetch(`${h.baseUrl}/admin/sp-metadata`, {
      method: "POST",
      headers: { "content-type": "application/samlmetadata+xml" },
      body: sp.metadataXml,
    });
    expect(reg.status).toBe(201);
    expect((await reg.json()).entityId).toBe(sp.entityId);

    const after = await fetch(
      `${h.baseUrl}/sso?${redirectQuery("SAMLRequest", authnRequestXml(sp, `${h.baseUrl}/sso`).xml, sp.keys)}`,
    );
    const token = /name="token" value="([^"]+)"/.exec(await after.text())?.[1] as string;
    const login = await h.login(token, { username: "giulia.bianchi", password: "demo", otp: "654321" });
    expect(login.action).toBe(sp.acsUrl);
    expect(login.xml).toContain("giulia.bianchi@example.it");
    expect(login.xml).not.toContain("TINIT-BNCGLI85M45L736L");
  });

  it("refuses metadata that is not SP metadata", async () => {
    const res = await fetch(`${h.baseUrl}/admin/sp-metadata`, {
      method: "POST",
      headers: { "content-type": "application/xml" },
      body: '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"/>',
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(/SPSSODescriptor/);
  });
});
