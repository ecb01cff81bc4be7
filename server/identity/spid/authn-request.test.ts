import { createVerify } from "node:crypto";
import { inflateRawSync } from "node:zlib";
import { DOMParser } from "@xmldom/xmldom";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../../../infra/dev-idp/spid/test-harness.ts";
import { buildAuthnRequest, redirectUrl } from "./authn-request.ts";
import { generateSpCertificate } from "./sp-certificate.ts";
import { buildSpMetadata } from "./sp-metadata.ts";

const ENTITY = "https://pagamenti.example.it/spid/metadata";
const { keyPem, certPem } = generateSpCertificate(
  { ipaCode: "r_demo", organizationName: "Regione Demo", entityId: ENTITY, localityName: "Roma" },
  { bits: 2048 },
);

describe("SPID AuthnRequest (HTTP-Redirect, signed)", () => {
  let idp: Harness;
  beforeAll(async () => {
    idp = await startHarness();
    // Register our SP with the test IdP, from our own signed metadata.
    const metadata = buildSpMetadata({
      entityId: ENTITY,
      acsUrl: "https://pagamenti.example.it/spid/acs",
      sloUrl: "https://pagamenti.example.it/spid/slo",
      attributeSets: [{ index: 0, name: "Pagamenti", attributes: ["fiscalNumber", "name", "familyName", "email"] }],
      organization: { name: "Regione Demo", displayName: "Regione Demo", url: "https://pagamenti.example.it" },
      publicBody: { ipaCode: "r_demo", email: "pagamenti@regione.example.it" },
      certPem,
      keyPem,
    });
    const res = await fetch(`${idp.baseUrl}/admin/sp-metadata`, {
      method: "POST",
      headers: { "content-type": "application/xml" },
      body: metadata,
    });
    expect(res.ok).toBe(true);
  });
  afterAll(() => idp.close());

  it("carries every field SPID asks for", () => {
    const { id, xml } = buildAuthnRequest({
      spEntityId: ENTITY,
      idpSsoUrl: `${idp.baseUrl}/sso`,
      level: 2,
      attributeIndex: 0,
    });
    const root = new DOMParser().parseFromString(xml, "text/xml").documentElement!;
    expect(root.getAttribute("ID")).toBe(id);
    expect(id).toMatch(/^_[0-9a-f]{40}$/);
    expect(root.getAttribute("ForceAuthn")).toBe("true");
    expect(root.getAttribute("AttributeConsumingServiceIndex")).toBe("0");
    expect(root.getAttribute("Destination")).toBe(`${idp.baseUrl}/sso`);
    const issuer = root.getElementsByTagName("saml:Issuer")[0]!;
    expect([issuer.getAttribute("Format"), issuer.getAttribute("NameQualifier"), issuer.textContent]).toEqual([
      "urn:oasis:names:tc:SAML:2.0:nameid-format:entity",
      ENTITY,
      ENTITY,
    ]);
    expect(root.getElementsByTagName("samlp:NameIDPolicy")[0]!.getAttribute("Format")).toBe(
      "urn:oasis:names:tc:SAML:2.0:nameid-format:transient",
    );
    expect(root.getElementsByTagName("saml:AuthnContextClassRef")[0]!.textContent).toBe(
      "https://www.spid.gov.it/SpidL2",
    );
    expect(buildAuthnRequest({ spEntityId: ENTITY, idpSsoUrl: "x", level: 1, attributeIndex: 0 }).xml).not.toContain(
      "ForceAuthn",
    );
  });

  it("signs the redirect query with the SP key (RSA-SHA256) over SAMLRequest, RelayState and SigAlg", () => {
    const { xml } = buildAuthnRequest({
      spEntityId: ENTITY,
      idpSsoUrl: `${idp.baseUrl}/sso`,
      level: 2,
      attributeIndex: 0,
    });
    const url = new URL(redirectUrl(`${idp.baseUrl}/sso`, xml, keyPem, "/le-mie-posizioni"));
    const raw = url.search.slice(1);
    const signed = raw.slice(0, raw.indexOf("&Signature="));
    const ok = createVerify("RSA-SHA256").update(signed).verify(certPem, url.searchParams.get("Signature")!, "base64");
    expect(ok).toBe(true);
    expect(inflateRawSync(Buffer.from(url.searchParams.get("SAMLRequest")!, "base64")).toString()).toBe(xml);
    expect(url.searchParams.get("RelayState")).toBe("/le-mie-posizioni");
  });

  it("is accepted by the SPID test IdP, which then shows its login page", async () => {
    for (const level of [1, 2] as const) {
      const { xml } = buildAuthnRequest({
        spEntityId: ENTITY,
        idpSsoUrl: `${idp.baseUrl}/sso`,
        level,
        attributeIndex: 0,
      });
      const res = await fetch(redirectUrl(`${idp.baseUrl}/sso`, xml, keyPem, "rs"));
      expect(res.headers.get("x-spid-error-code"), `level ${level}`).toBeNull();
      expect(res.status).toBe(200);
      expect(await res.text()).toMatch(/<form[^>]+action="[^"]*login/);
    }
    // A request signed with another key is refused with SPID code 5.
    const other = generateSpCertificate(
      { ipaCode: "r_demo", organizationName: "X", entityId: ENTITY, localityName: "Roma" },
      { bits: 2048 },
    );
    const { xml } = buildAuthnRequest({
      spEntityId: ENTITY,
      idpSsoUrl: `${idp.baseUrl}/sso`,
      level: 2,
      attributeIndex: 0,
    });
    const forged = await fetch(redirectUrl(`${idp.baseUrl}/sso`, xml, other.keyPem, "rs"));
    expect(forged.headers.get("x-spid-error-code")).toBe("5");
  });
});
