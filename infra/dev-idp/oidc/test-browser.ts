/**
 * Test helpers: the dev IdP on a random loopback port, and a minimal "browser" (cookie jar,
 * manual redirects) to drive the login pages over plain HTTP.
 */
import { createServer, type Server } from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import * as client from "openid-client";
import { pino } from "pino";
import { createDevIdp, type DevIdp } from "../app.ts";

export interface RunningIdp {
  idp: DevIdp;
  server: Server;
  base: string;
  issuer: string;
  dataDir: string;
  stop: (options?: { keepData?: boolean }) => Promise<void>;
}

/**
 * Starts the dev IdP on 127.0.0.1:0; `dataDir` reuses keys and users from an earlier run,
 * `smtpUrl` is where its e-mails go (default a closed port: tests that send mail set it).
 */
export async function startIdp(dataDir?: string, options: { smtpUrl?: string } = {}): Promise<RunningIdp> {
  const dir = dataDir ?? (await mkdtemp(path.join(os.tmpdir(), "dev-idp-test-")));
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  const base = `http://127.0.0.1:${port}`;
  const idp = await createDevIdp({
    issuerBase: base,
    dataDir: dir,
    smtpUrl: options.smtpUrl ?? "smtp://127.0.0.1:9",
    logger: pino({ level: "silent" }),
  });
  server.on("request", idp.app);
  return {
    idp,
    server,
    base,
    issuer: idp.issuer,
    dataDir: dir,
    stop: async (options) => {
      await idp.close(server);
      if (!options?.keepData) await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A cookie-keeping HTTP client that never follows redirects by itself. */
export class TestBrowser {
  private readonly cookies = new Map<string, string>();

  /** A cookie's value (a form's double-submit CSRF token is its cookie). */
  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  async request(url: string | URL, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const response = await fetch(url, { ...init, headers, redirect: "manual" });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=.*1970/i.test(a));
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  /** Follows redirects on the IdP until one leaves it (returned as the final Location) or a page is shown. */
  async follow(
    url: string | URL,
    init: RequestInit = {},
    stopAt?: string,
  ): Promise<{ response: Response; url: string }> {
    let current = new URL(url);
    let response = await this.request(current, init);
    for (let hops = 0; hops < 10 && response.status >= 300 && response.status < 400; hops++) {
      const next = new URL(response.headers.get("location")!, current);
      if (stopAt && next.href.startsWith(stopAt)) return { response, url: next.href };
      current = next;
      response = await this.request(current);
    }
    return { response, url: current.href };
  }

  /** Posts an urlencoded form. */
  post(url: string | URL, fields: Record<string, string>): Promise<Response> {
    return this.request(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    });
  }
}

/** The `action` of the form whose action contains `contains`, resolved against `base`. */
export function formAction(html: string, base: string, contains: string): string {
  const match = [...html.matchAll(/<form[^>]*action="([^"]+)"/g)]
    .map((m) => m[1]!.replace(/&#38;/g, "&"))
    .find((a) => a.includes(contains));
  if (!match) throw new Error(`no form with action containing ${contains}`);
  return new URL(match, base).href;
}

/** Hidden inputs of a form, by name. */
export function hiddenFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
    const name = /name="([^"]+)"/.exec(m[0])?.[1];
    const value = /value="([^"]*)"/.exec(m[0])?.[1];
    if (name) fields[name] = value ?? "";
  }
  return fields;
}

export const BACKOFFICE = {
  clientId: "pontepa-backoffice",
  secret: "dev-backoffice-secret",
  redirectUri: "http://127.0.0.1:3000/backoffice/auth/callback",
  postLogoutRedirectUri: "http://127.0.0.1:3000/backoffice/",
} as const;

/** openid-client configuration for a realm client (the way the server will build it). */
export function discover(
  issuer: string,
  clientId: string = BACKOFFICE.clientId,
  secret: string = BACKOFFICE.secret,
  auth?: client.ClientAuth,
): Promise<client.Configuration> {
  return client.discovery(new URL(issuer), clientId, secret, auth, { execute: [client.allowInsecureRequests] });
}

/** Starts an authorization code + PKCE request and follows it to the first page or the callback. */
export async function beginLogin(browser: TestBrowser, config: client.Configuration, scope = "openid profile email") {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: BACKOFFICE.redirectUri,
    scope,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state,
    nonce,
  });
  const { response, url: at } = await browser.follow(url, {}, BACKOFFICE.redirectUri);
  return { response, at, verifier, state, nonce };
}

/** Submits the login form shown at `pageUrl` and follows to the callback (or the page shown). */
export async function submitLogin(
  browser: TestBrowser,
  pageUrl: string,
  html: string,
  username: string,
  password: string,
) {
  const response = await browser.post(formAction(html, pageUrl, "/login"), { username, password });
  if (response.status < 300 || response.status >= 400) return { response, at: pageUrl };
  return browser
    .follow(new URL(response.headers.get("location")!, pageUrl), {}, BACKOFFICE.redirectUri)
    .then((r) => ({ response: r.response, at: r.url }));
}

/** A whole login for `username`: returns the tokens openid-client obtained, checked as the server will. */
export async function loginAs(browser: TestBrowser, config: client.Configuration, username: string, password = "demo") {
  const begin = await beginLogin(browser, config);
  const done = await submitLogin(browser, begin.at, await begin.response.text(), username, password);
  if (!done.at.startsWith(BACKOFFICE.redirectUri))
    throw new Error(`login did not reach the callback (status ${done.response.status})`);
  const tokens = await client.authorizationCodeGrant(config, new URL(done.at), {
    pkceCodeVerifier: begin.verifier,
    expectedState: begin.state,
    expectedNonce: begin.nonce,
  });
  return { tokens, callback: new URL(done.at), ...begin };
}
