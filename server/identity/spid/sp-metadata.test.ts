import { DOMParser } from "@xmldom/xmldom";
import { SignedXml } from "xml-crypto";
import { describe, expect, it } from "vitest";
import { parseSpMetadata } from "../../../infra/dev-idp/spid/sp-registry.ts";
import { generateSpCertificate } from "./sp-certificate.ts";
import { buildSpMetadata } from "./sp-metadata.ts";

const { keyPem, certPem } = generateSpCertificate(
  {
    ipaCode: "r_demo",
    organizationName: "Regione Demo",
    entityId: "https://pagamenti.example.it/spid/metadata",
    localityName: "Roma",
  },
  { bits: 2048 },
);
const metadata = buildSpMetadata({
  entityId: "https://pagamenti.example.it/spid/metadata",
  acsUrl: "https://pagamenti.example.it/spid/acs",
  sloUrl: "https://pagamenti.example.it/spid/slo",
  attributeSets: [{ index: 0, name: "Pagamenti pagoPA", attributes: ["fiscalNumber", "name", "familyName", "email"] }],
  organization: { name: "Regione Demo", displayName: "Regione Demo - Pagamenti", url: "https://pagamenti.example.it" },
  publicBody: { ipaCode: "r_demo", email: "pagamenti@regione.example.it" },
  certPem,
  keyPem,
});

describe("SPID SP metadata", () => {
  const doc = new DOMParser().parseFromString(metadata, "text/xml");
  const root = doc.documentElement!;

  it("is signed by the SP key over the whole EntityDescriptor (RSA-SHA256, exclusive c14n)", () => {
    const signature = root.getElementsByTagNameNS("http://www.w3.org/2000/09/xmldsig#", "Signature")[0]!;
    expect(signature.parentNode).toBe(root);
    const sig = new SignedXml({ publicCert: certPem });
    sig.loadSignature(signature);
    expect(sig.checkSignature(metadata)).toBe(true);
    expect(sig.signatureAlgorithm).toBe("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256");
    const tampered = metadata.replace("https://pagamenti.example.it/spid/acs", "https://evil.example/acs");
    const again = new SignedXml({ publicCert: certPem });
    again.loadSignature(
      new DOMParser()
        .parseFromString(tampered, "text/xml")
        .getElementsByTagNameNS("http://www.w3.org/2000/09/xmldsig#", "Signature")[0]!,
    );
    expect(again.checkSignature(tampered)).toBe(false);
  });

  it("carries the public-body SPID extensions and what the IdP needs", () => {
    expect(metadata).toContain('AuthnRequestsSigned="true" WantAssertionsSigned="true"');
    expect(metadata).toMatch(
      /<md:ContactPerson contactType="other"><md:Extensions><spid:IPACode>r_demo<\/spid:IPACode><spid:Public\/><\/md:Extensions>/,
    );
    expect(root.lookupNamespaceURI("spid")).toBe("https://spid.gov.it/saml-extensions");
    expect(metadata).toContain("urn:oasis:names:tc:SAML:2.0:nameid-format:transient");
    // The SPID test IdP (infra/dev-idp) reads it as it would read any SP's.
    const sp = parseSpMetadata(metadata);
    expect(sp.entityId).toBe("https://pagamenti.example.it/spid/metadata");
    expect(sp.assertionConsumerServices[0]).toMatchObject({
      location: "https://pagamenti.example.it/spid/acs",
      index: 0,
      isDefault: true,
    });
    // Single logout: the IdP's LogoutResponse may come back by HTTP-POST or HTTP-Redirect.
    expect(sp.singleLogoutServices.map((s) => [s.binding, s.location])).toEqual([
      ["urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST", "https://pagamenti.example.it/spid/slo"],
      ["urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect", "https://pagamenti.example.it/spid/slo"],
    ]);
    expect(sp.attributeConsumingServices.get(0)).toEqual({
      isDefault: false,
      attributes: ["fiscalNumber", "name", "familyName", "email"],
    });
    expect(sp.signingCertificates[0]).toContain(certPem.split(/\r?\n/)[1]);
  });

  describe("public full aggregator (Avviso 19, spid-sp-test profile spid-sp-ag-public-full)", () => {
    const base = {
      entityId: "https://pagamenti.example.it/spid/pub-ag-full/r_demo",
      acsUrl: "https://pagamenti.example.it/spid/acs",
      sloUrl: "https://pagamenti.example.it/spid/slo",
      attributeSets: [{ index: 0, name: "Pagamenti pagoPA", attributes: ["fiscalNumber" as const] }],
      organization: { name: "Regione Demo", displayName: "Regione Demo", url: "https://pagamenti.example.it" },
      publicBody: { ipaCode: "r_demo", email: "pagamenti@regione.example.it" },
      aggregator: {
        company: "Regione Demo",
        fiscalCode: "80000000000",
        email: "spid@regione.example.it",
        phone: "+390612345678",
      },
      certPem,
      keyPem,
    };
    const xml = buildSpMetadata(base);
    const agDoc = new DOMParser().parseFromString(xml, "text/xml");
    const SPID = "https://spid.gov.it/saml-extensions";
    const contacts = Array.from(agDoc.getElementsByTagNameNS("urn:oasis:names:tc:SAML:2.0:metadata", "ContactPerson"));
    const ofType = (t: string) => contacts.filter((c) => c.getAttributeNS(SPID, "entityType") === t);
    const ext = (c: Element | undefined, name: string) => c?.getElementsByTagNameNS(SPID, name)[0];

    it("has one aggregator and one aggregated ContactPerson, both contactType other, with their extensions", () => {
      expect(contacts).toHaveLength(2);
      expect(contacts.every((c) => c.getAttribute("contactType") === "other")).toBe(true);
      const [aggregator] = ofType("spid:aggregator");
      const [aggregated] = ofType("spid:aggregated");
      expect(ext(aggregator, "FiscalCode")?.textContent).toBe("80000000000");
      expect(ext(aggregator, "PublicServicesFullAggregator")?.textContent).toBe(""); // must be empty
      expect(
        aggregator?.getElementsByTagNameNS("urn:oasis:names:tc:SAML:2.0:metadata", "TelephoneNumber")[0]?.textContent,
      ).toBe("+390612345678");
      expect(
        aggregator?.getElementsByTagNameNS("urn:oasis:names:tc:SAML:2.0:metadata", "Company")[0]?.textContent,
      ).toBe("Regione Demo");
      expect(ext(aggregated, "IPACode")?.textContent).toBe("r_demo");
      expect(ext(aggregated, "Public")).toBeDefined();
      expect(ext(aggregated, "PublicServicesFullAggregator")).toBeUndefined();
    });

    it("has the pub-ag-full entityID without query string, and is still signed and readable by the IdP", () => {
      expect(agDoc.documentElement!.getAttribute("entityID")).toContain("/pub-ag-full/");
      expect(parseSpMetadata(xml).entityId).toBe(base.entityId);
      const sig = new SignedXml({ publicCert: certPem });
      sig.loadSignature(agDoc.getElementsByTagNameNS("http://www.w3.org/2000/09/xmldsig#", "Signature")[0]!);
      expect(sig.checkSignature(xml)).toBe(true);
      expect(() => buildSpMetadata({ ...base, entityId: "https://pagamenti.example.it/spid/metadata" })).toThrow(
        /pub-ag-full/,
      );
      expect(() => buildSpMetadata({ ...base, entityId: `${base.entityId}?x=1` })).toThrow(/query string/);
      expect(() => buildSpMetadata({ ...base, aggregator: { ...base.aggregator, fiscalCode: undefined } })).toThrow(
        /fiscal code or VAT/,
      );
    });

    it("a plain public SP keeps its single ContactPerson without entityType", () => {
      expect(metadata.match(/<md:ContactPerson /g)).toHaveLength(1);
      expect(metadata).not.toContain("spid:entityType");
    });
  });

  describe("CIE ID (scheme cie)", () => {
    const cie = buildSpMetadata({
      entityId: "https://pagamenti.example.it/cie/metadata",
      acsUrl: "https://pagamenti.example.it/cie/acs",
      sloUrl: "https://pagamenti.example.it/cie/slo",
      attributeSets: [{ index: 0, name: "Pagamenti pagoPA", attributes: ["fiscalNumber", "name", "dateOfBirth"] }],
      organization: { name: "Regione Demo", displayName: "Regione Demo", url: "https://pagamenti.example.it" },
      publicBody: { ipaCode: "r_demo", email: "pagamenti@regione.example.it" },
      scheme: "cie",
      municipality: "H501",
      certPem,
      keyPem,
    });
    const cieRoot = new DOMParser().parseFromString(cie, "text/xml").documentElement!;
    const CIE_NS = "https://www.cartaidentita.interno.gov.it/saml-extensions";

    it("carries the cie: public-body extensions in an administrative ContactPerson, no spid: ones, and is signed", () => {
      const contact = cieRoot.getElementsByTagNameNS("urn:oasis:names:tc:SAML:2.0:metadata", "ContactPerson");
      expect(contact).toHaveLength(1);
      expect(contact[0]!.getAttribute("contactType")).toBe("administrative");
      expect(cieRoot.getElementsByTagNameNS(CIE_NS, "Public")).toHaveLength(1);
      expect(cieRoot.getElementsByTagNameNS(CIE_NS, "IPACode")[0]!.textContent).toBe("r_demo");
      expect(cieRoot.getElementsByTagNameNS(CIE_NS, "Municipality")[0]!.textContent).toBe("H501");
      expect(cie).not.toContain("spid:");
      const sig = new SignedXml({ publicCert: certPem });
      sig.loadSignature(cieRoot.getElementsByTagNameNS("http://www.w3.org/2000/09/xmldsig#", "Signature")[0]!);
      expect(sig.checkSignature(cie)).toBe(true);
      // The test IdP (as the Ministry's would) reads it as an SP with its ACS and attributes.
      const parsed = parseSpMetadata(cie);
      expect(parsed.entityId).toBe("https://pagamenti.example.it/cie/metadata");
    });
  });
});
