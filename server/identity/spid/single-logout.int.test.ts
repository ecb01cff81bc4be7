import { createVerify } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { inflateRawSync } from "node:zlib";
import { DOMParser } from "@xmldom/xmldom";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startHarness, type Harness } from "../../../infra/dev-idp/spid/test-harness.ts";
import { testConfig } from "../../test/support.ts";
import { redirectUrl } from "./authn-request.ts";
import { buildLogoutRequest } from "./logout-request.ts";
import { loggedInCitizen, logoutThroughIdp, registerWithIdp } from "../../test/harness/spid/idp-roundtrip.ts";
import { SpidServiceProviders } from "./service-providers.ts";
import { SpidLoginError } from "./spid-errors.ts";
import type { SpidServiceProvider } from "./spid-service.ts";
import { LOGOUT_NOT_CONFIRMED } from "./validate-logout-response.ts";

const SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol";
const SAML = "urn:oasis:names:tc:SAML:2.0:assertion";

describe("SPID single logout (SP-initiated) against the SPID test IdP", () => {
  let idp: Harness;
  let redis: Redis;
  let keyDir: string;
  const noTenants = async () => null;

  /** The Region's SP at `base`, registered with the test IdP from its own metadata. */
  async function regionSp(base: string, edit: (metadata: string) => string = (m) => m): Promise<SpidServiceProvider> {
    const config = testConfig({
      PUBLIC_BASE_URL: base,
      SPID_SP_KEY_DIR: path.join(keyDir, new URL(base).hostname),
      SPID_IDP_REGISTRY: `${idp.baseUrl}/metadata`,
      QUEUE_PREFIX: `${inject("queuePrefix")}-slo`,
    });
    const sp = new SpidServiceProviders(config, redis, noTenants).aggregator;
    await registerWithIdp(idp, edit(sp.metadata()));
    return sp;
  }
  const refusal = async (promise: Promise<unknown>) => {
    const err = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SpidLoginError);
    expect((err as SpidLoginError).message).toBe(LOGOUT_NOT_CONFIRMED);
    return (err as SpidLoginError).reason;
  };

  let sp: SpidServiceProvider;
  beforeAll(async () => {
    idp = await startHarness();
    redis = new Redis(inject("redisUrl"));
    keyDir = await mkdtemp(path.join(tmpdir(), "spid-slo-"));
    sp = await regionSp("https://pagamenti.example.it");
  });
  afterAll(async () => {
    await idp.close();
    redis.disconnect();
    await rm(keyDir, { recursive: true, force: true });
  });

  it("sends a well-formed LogoutRequest, its query signed with the SP certificate, which the IdP accepts", async () => {
    const citizen = await loggedInCitizen(idp, sp);
    const url = new URL(await sp.logoutUrl(citizen));
    expect(`${url.origin}${url.pathname}`).toBe(`${idp.baseUrl}/slo`);
    const raw = url.search.slice(1);
    const signed = raw.slice(0, raw.indexOf("&Signature="));
    expect(url.searchParams.get("SigAlg")).toBe("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256");
    expect(
      createVerify("RSA-SHA256")
        .update(signed)
        .verify(sp.spKeys().certPem, url.searchParams.get("Signature")!, "base64"),
    ).toBe(true);
    expect(
      createVerify("RSA-SHA256")
        .update(`${signed}x`)
        .verify(sp.spKeys().certPem, url.searchParams.get("Signature")!, "base64"),
    ).toBe(false);

    const root = new DOMParser().parseFromString(
      inflateRawSync(Buffer.from(url.searchParams.get("SAMLRequest")!, "base64")).toString(),
      "text/xml",
    ).documentElement!;
    expect([root.namespaceURI, root.localName, root.getAttribute("Version"), root.getAttribute("Destination")]).toEqual(
      [SAMLP, "LogoutRequest", "2.0", `${idp.baseUrl}/slo`],
    );
    expect(root.getAttribute("ID")).toMatch(/^_[0-9a-f]{40}$/);
    expect(root.getAttribute("IssueInstant")).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    const issuer = root.getElementsByTagNameNS(SAML, "Issuer")[0]!;
    expect([issuer.getAttribute("Format"), issuer.getAttribute("NameQualifier"), issuer.textContent]).toEqual([
      "urn:oasis:names:tc:SAML:2.0:nameid-format:entity",
      sp.entityId,
      sp.entityId,
    ]);
    const nameId = root.getElementsByTagNameNS(SAML, "NameID")[0]!;
    expect([nameId.getAttribute("Format"), nameId.getAttribute("NameQualifier"), nameId.textContent]).toEqual([
      "urn:oasis:names:tc:SAML:2.0:nameid-format:transient",
      idp.baseUrl,
      citizen.nameId,
    ]);
    expect(root.getElementsByTagNameNS(SAMLP, "SessionIndex")[0]!.textContent).toBe(citizen.sessionIndex);

    // The IdP verifies the signature: the genuine request gets a LogoutResponse, a forged one code 5.
    const answered = await fetch(url, { redirect: "manual" });
    expect(answered.status).toBe(200);
    expect(await answered.text()).toContain(`action="${sp.sloUrl}"`);
    const forged = new URL(url);
    forged.searchParams.set("Signature", Buffer.from("not our signature").toString("base64"));
    expect((await fetch(forged, { redirect: "manual" })).headers.get("x-spid-error-code")).toBe("5");
  });

  it("accepts the IdP's genuine LogoutResponse (HTTP-POST) once; the same response again is refused", async () => {
    const response = await logoutThroughIdp(await sp.logoutUrl(await loggedInCitizen(idp, sp)));
    expect([response.binding, response.target]).toEqual(["post", sp.sloUrl]);
    await expect(sp.acceptLogoutResponse(response)).resolves.toBeUndefined();
    expect(await refusal(sp.acceptLogoutResponse(response))).toMatch(/no pending LogoutRequest/);
  });

  it("refuses a tampered LogoutResponse and an unsigned one", async () => {
    const tampered = await logoutThroughIdp(await sp.logoutUrl(await loggedInCitizen(idp, sp)));
    const xml = tampered.xml.replace(
      "</samlp:Status>",
      "<samlp:StatusMessage>modificato</samlp:StatusMessage></samlp:Status>",
    );
    expect(xml).not.toBe(tampered.xml);
    expect(
      await refusal(sp.acceptLogoutResponse({ ...tampered, samlResponse: Buffer.from(xml).toString("base64") })),
    ).toMatch(/not signed by the IdP/);

    const unsigned = await logoutThroughIdp(await sp.logoutUrl(await loggedInCitizen(idp, sp)));
    const stripped = unsigned.xml.replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, "");
    expect(stripped).not.toContain("Signature");
    expect(
      await refusal(sp.acceptLogoutResponse({ ...unsigned, samlResponse: Buffer.from(stripped).toString("base64") })),
    ).toMatch(/not signed by the IdP/);
  });

  it("refuses a genuine LogoutResponse to a LogoutRequest it never sent (unknown InResponseTo)", async () => {
    const citizen = await loggedInCitizen(idp, sp);
    // Signed with our key, so the IdP answers, but never remembered by the SP.
    const stray = buildLogoutRequest({
      spEntityId: sp.entityId,
      idpEntityId: idp.baseUrl,
      idpSloUrl: `${idp.baseUrl}/slo`,
      nameId: citizen.nameId,
      sessionIndex: citizen.sessionIndex!,
    });
    const response = await logoutThroughIdp(redirectUrl(`${idp.baseUrl}/slo`, stray.xml, sp.spKeys().keyPem));
    expect(response.xml).toContain(`InResponseTo="${stray.id}"`);
    expect(await refusal(sp.acceptLogoutResponse(response))).toMatch(/no pending LogoutRequest/);
  });

  it("refuses a LogoutResponse meant for another SP of the platform", async () => {
    const other = await regionSp("https://altro.example.it");
    const response = await logoutThroughIdp(await other.logoutUrl(await loggedInCitizen(idp, other)));
    expect(await refusal(sp.acceptLogoutResponse(response))).toMatch(/another SP/);
  });

  it("accepts a LogoutResponse by HTTP-Redirect with the IdP's query signature, and refuses it tampered", async () => {
    // An SP whose metadata offers only the Redirect binding gets the answer that way.
    const redirectOnly = await regionSp("https://redirect.example.it", (m) =>
      m.replace(/<md:SingleLogoutService Binding="[^"]+HTTP-POST"[^>]*\/>/, ""),
    );
    const good = await logoutThroughIdp(await redirectOnly.logoutUrl(await loggedInCitizen(idp, redirectOnly)));
    expect([good.binding, good.target]).toEqual(["redirect", redirectOnly.sloUrl]);
    await expect(redirectOnly.acceptLogoutResponse(good)).resolves.toBeUndefined();

    const tampered = await logoutThroughIdp(await redirectOnly.logoutUrl(await loggedInCitizen(idp, redirectOnly)));
    const sigAlg = tampered.rawQuery.match(/SigAlg=[^&]+/)![0];
    const weakened = tampered.rawQuery.replace(
      sigAlg,
      `SigAlg=${encodeURIComponent("http://www.w3.org/2000/09/xmldsig#rsa-sha1")}`,
    );
    expect(await refusal(redirectOnly.acceptLogoutResponse({ ...tampered, rawQuery: weakened }))).toMatch(
      /not signed by the IdP/,
    );

    const unsigned = await logoutThroughIdp(await redirectOnly.logoutUrl(await loggedInCitizen(idp, redirectOnly)));
    const withoutSignature = unsigned.rawQuery.replace(/&Signature=[^&]+/, "");
    expect(withoutSignature).not.toContain("Signature=");
    expect(await refusal(redirectOnly.acceptLogoutResponse({ ...unsigned, rawQuery: withoutSignature }))).toMatch(
      /not signed by the IdP/,
    );
  });
});
