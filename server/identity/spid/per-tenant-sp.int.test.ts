import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { DOMParser } from "@xmldom/xmldom";
import forge from "node-forge";
import { SignedXml } from "xml-crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../../../infra/dev-idp/spid/test-harness.ts";
import type { Tenant } from "../../generated/prisma/client.ts";
import type { Deps } from "../../platform/deps.ts";
import { findTenantByIpaCode } from "../../tenancy/index.ts";
import { makeTenant } from "../../test/factories.ts";
import { testConfig, testDeps } from "../../test/support.ts";
import { loginThroughIdp, registerWithIdp } from "../../test/harness/spid/idp-roundtrip.ts";
import { SpidServiceProviders } from "./service-providers.ts";
import { INVALID_RESPONSE, SpidLoginError } from "./spid-errors.ts";
import type { SpidServiceProvider } from "./spid-service.ts";

const MD = "urn:oasis:names:tc:SAML:2.0:metadata";
const DS = "http://www.w3.org/2000/09/xmldsig#";
const BASE = "https://pagamenti.regione.example.it";

/** What a council's published metadata says, and whether its own certificate verifies its signature. */
function readMetadata(xml: string) {
  const doc = new DOMParser().parseFromString(xml, "text/xml");
  const root = doc.documentElement!;
  const certBody = root.getElementsByTagNameNS(DS, "X509Certificate")[0]!.textContent!;
  const certPem = `-----BEGIN CERTIFICATE-----\n${certBody.replace(/(.{64})/g, "$1\n").trim()}\n-----END CERTIFICATE-----\n`;
  const verifiesWith = (pem: string) => {
    const sig = new SignedXml({ publicCert: pem });
    sig.loadSignature(root.getElementsByTagNameNS(DS, "Signature")[0]!);
    try {
      return sig.checkSignature(xml);
    } catch {
      return false; // xml-crypto throws on a signature value that does not verify
    }
  };
  const subject = forge.pki.certificateFromPem(certPem).subject;
  return {
    entityId: root.getAttribute("entityID"),
    ipaCode: root.getElementsByTagNameNS("https://spid.gov.it/saml-extensions", "IPACode")[0]?.textContent,
    organization: root.getElementsByTagNameNS(MD, "OrganizationName")[0]?.textContent,
    acs: root.getElementsByTagNameNS(MD, "AssertionConsumerService")[0]?.getAttribute("Location"),
    certPem,
    organizationIdentifier: subject.getField({ type: "2.5.4.97" })?.value,
    verifiesWith,
  };
}

describe("SPID_SP_MODE=per-tenant: every council its own service provider", () => {
  let deps: Deps;
  let idp: Harness;
  let keyDir: string;
  let alfa: Tenant;
  let beta: Tenant;
  let spA: SpidServiceProvider;
  let spB: SpidServiceProvider;
  const providers = (mode: "aggregator" | "per-tenant") =>
    new SpidServiceProviders(
      testConfig({
        SPID_SP_MODE: mode,
        PUBLIC_BASE_URL: BASE,
        SPID_SP_KEY_DIR: keyDir,
        SPID_IDP_REGISTRY: `${idp.baseUrl}/metadata`,
      }),
      deps.redis,
      (ipa) => findTenantByIpaCode(deps.db, ipa),
    );

  beforeAll(async () => {
    deps = testDeps();
    idp = await startHarness();
    keyDir = await mkdtemp(path.join(tmpdir(), "spid-per-tenant-"));
    alfa = await makeTenant(deps.db, { name: "Comune di Alfa", contactEmail: "tributi@alfa.example.it" });
    beta = await makeTenant(deps.db, { name: "Comune di Beta" });
    const perTenant = providers("per-tenant");
    spA = (await perTenant.forTenant(alfa.ipaCode))!;
    spB = (await perTenant.forTenant(beta.ipaCode))!;
    await registerWithIdp(idp, spA.metadata());
    await registerWithIdp(idp, spB.metadata());
  });
  afterAll(async () => {
    await idp.close();
    await deps.close();
    await rm(keyDir, { recursive: true, force: true });
  });

  it("publishes different, valid, signed metadata for two councils", () => {
    const a = readMetadata(spA.metadata());
    const b = readMetadata(spB.metadata());
    expect(a).toMatchObject({
      entityId: `${BASE}/spid/enti/${alfa.ipaCode}/metadata`,
      ipaCode: alfa.ipaCode,
      organization: "Comune di Alfa",
      acs: `${BASE}/spid/enti/${alfa.ipaCode}/acs`,
      organizationIdentifier: `PA:IT-${alfa.ipaCode}`,
    });
    expect(b).toMatchObject({
      entityId: `${BASE}/spid/enti/${beta.ipaCode}/metadata`,
      ipaCode: beta.ipaCode,
      organization: "Comune di Beta",
      acs: `${BASE}/spid/enti/${beta.ipaCode}/acs`,
      organizationIdentifier: `PA:IT-${beta.ipaCode}`,
    });
    expect(spA.metadata()).toContain("<md:EmailAddress>tributi@alfa.example.it</md:EmailAddress>");
    expect(a.certPem).not.toBe(b.certPem);
    expect(a.verifiesWith(a.certPem)).toBe(true);
    expect(b.verifiesWith(b.certPem)).toBe(true);
    expect(a.verifiesWith(b.certPem)).toBe(false);
    // Each key lives in the council's own folder, apart from the Region's.
    expect(existsSync(path.join(keyDir, alfa.ipaCode, "spid-sp-key.pem"))).toBe(true);
    expect(existsSync(path.join(keyDir, "spid-sp-key.pem"))).toBe(false);
  });

  it("logs in through the test IdP back to the council's own ACS, validated against its entityID", async () => {
    const { url, browserKey } = await spA.startLogin(idp.baseUrl, `/enti/${alfa.ipaCode}`);
    const { action, samlResponse, relayState } = await loginThroughIdp(idp, url);
    expect(action).toBe(spA.acsUrl);
    const xml = Buffer.from(samlResponse, "base64").toString();
    expect(xml).toContain(`<saml:Audience>${spA.entityId}</saml:Audience>`);
    const { identity, returnTo } = await spA.acceptResponse(samlResponse, { browserKey, relayState });
    expect(identity.fiscalCode).toBe("RSSMRA80A01H501U");
    expect(returnTo).toBe(`/enti/${alfa.ipaCode}`);
  });

  it("refuses at council B's ACS an answer meant for council A's SP", async () => {
    const { url, browserKey } = await spA.startLogin(idp.baseUrl, "/le-mie-posizioni");
    const { samlResponse, relayState } = await loginThroughIdp(idp, url);
    const err = await spB.acceptResponse(samlResponse, { browserKey, relayState }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SpidLoginError);
    // The pending request names the SP that sent it (before Destination and Audience would fail).
    expect((err as SpidLoginError).reason).toMatch(/answer to a request of another SP/);
    expect((err as SpidLoginError).message).toBe(INVALID_RESPONSE);
  });

  it("binds the login to the browser that started it: an attacker's own answer posted from another browser is refused", async () => {
    const refusal = (p: Promise<unknown>) =>
      p.then(
        () => null,
        (e: unknown) => e as SpidLoginError,
      );
    // The victim's browser holds no login cookie, or the one of a login of its own.
    const victim = await spA.startLogin(idp.baseUrl, "/le-mie-posizioni");
    for (const victimKey of [undefined, victim.browserKey]) {
      const attacker = await spA.startLogin(idp.baseUrl, "/le-mie-posizioni");
      expect(new URL(attacker.url).searchParams.get("RelayState")).toMatch(/^[\w-]{22}$/); // opaque, not the return path
      const { samlResponse, relayState } = await loginThroughIdp(idp, attacker.url);
      const err = await refusal(spA.acceptResponse(samlResponse, { browserKey: victimKey, relayState }));
      expect(err).toBeInstanceOf(SpidLoginError);
      expect(err!.reason).toMatch(/did not start this login/);
      expect(err!.message).toBe(INVALID_RESPONSE);
    }
    // The right browser, but not the request's RelayState.
    const own = await spA.startLogin(idp.baseUrl, "/le-mie-posizioni");
    const answer = await loginThroughIdp(idp, own.url);
    expect(
      (await refusal(spA.acceptResponse(answer.samlResponse, { browserKey: own.browserKey, relayState: "altro" })))!
        .reason,
    ).toMatch(/RelayState/);
  });

  it("has no council SPs in aggregator mode, and falls back to the Region's SP for pages of no council", async () => {
    const aggregator = providers("aggregator");
    expect(await aggregator.forTenant(alfa.ipaCode)).toBeNull();
    expect((await aggregator.forLogin(alfa.ipaCode)).entityId).toBe(`${BASE}/spid/pub-ag-full/r_demo`);
    // Aggregator mode publishes the public full aggregator profile; the per-tenant Region SP does not.
    expect(aggregator.aggregator.metadata()).toMatch(
      /spid:entityType="spid:aggregator"><md:Extensions><spid:FiscalCode>80000000000<\/spid:FiscalCode><spid:PublicServicesFullAggregator\/>/,
    );
    expect(providers("per-tenant").aggregator.metadata()).not.toContain("PublicServicesFullAggregator");
    const perTenant = providers("per-tenant");
    expect((await perTenant.forLogin(null)).entityId).toBe(`${BASE}/spid/metadata`);
    expect(await perTenant.forTenant("c_nessuno")).toBeNull();
    expect(await perTenant.forTenant("../etc")).toBeNull();
    expect((await perTenant.forSession(beta.ipaCode))?.entityId).toBe(spB.entityId);
  });
});
