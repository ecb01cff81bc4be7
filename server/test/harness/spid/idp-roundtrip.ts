import { readPostForm, type Harness } from "../../../../infra/dev-idp/spid/test-harness.ts";
import type { SpidServiceProvider } from "../../../identity/spid/spid-service.ts";

/** Registers the SP's published metadata with the SPID test IdP, as AgID registration would. */
export async function registerWithIdp(idp: Harness, metadataXml: string): Promise<void> {
  const res = await fetch(`${idp.baseUrl}/admin/sp-metadata`, {
    method: "POST",
    headers: { "content-type": "application/samlmetadata+xml" },
    body: metadataXml,
  });
  if (res.status !== 201) throw new Error(`the test IdP refused the metadata: ${res.status} ${await res.text()}`);
}

/**
 * Follows our login URL to the test IdP and logs in (as Mario Rossi unless told: the CIE test
 * IdP knows lucia.verdi); returns what the IdP posts back.
 */
export async function loginThroughIdp(idp: Harness, loginUrl: string, username = "mario.rossi") {
  const page = await fetch(loginUrl);
  const html = await page.text();
  const token = /name="token" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error(`the test IdP refused the AuthnRequest: ${page.headers.get("x-spid-error-code")}`);
  const posted = await idp.login(token, { username, password: "demo", otp: "123456", scenario: "" });
  return {
    action: posted.action,
    samlResponse: Buffer.from(posted.xml ?? "").toString("base64"),
    relayState: posted.relayState,
  };
}

/** A citizen of `sp` logged in through the test IdP: what the session keeps of the assertion. */
export async function loggedInCitizen(idp: Harness, sp: SpidServiceProvider) {
  const { url, browserKey } = await sp.startLogin(idp.baseUrl, "/le-mie-posizioni");
  const { samlResponse, relayState } = await loginThroughIdp(idp, url);
  return (await sp.acceptResponse(samlResponse, { browserKey, relayState })).identity;
}

/**
 * Follows our logout URL to the test IdP and reads its LogoutResponse: the auto-posting form
 * (HTTP-POST) or the signed redirect (HTTP-Redirect), as the browser would receive it.
 */
export async function logoutThroughIdp(logoutUrl: string) {
  const res = await fetch(logoutUrl, { redirect: "manual" });
  if (res.status === 302) {
    const location = new URL(res.headers.get("location")!);
    return {
      binding: "redirect" as const,
      target: `${location.origin}${location.pathname}`,
      samlResponse: location.searchParams.get("SAMLResponse") ?? "",
      rawQuery: location.search.slice(1),
      xml: "",
    };
  }
  const posted = readPostForm(res.status, await res.text());
  if (!posted.xml)
    throw new Error(`the test IdP refused the LogoutRequest: ${res.status} ${res.headers.get("x-spid-error-code")}`);
  return {
    binding: "post" as const,
    target: posted.action,
    samlResponse: Buffer.from(posted.xml).toString("base64"),
    rawQuery: "",
    xml: posted.xml,
  };
}
