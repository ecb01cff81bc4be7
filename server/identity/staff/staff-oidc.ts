import * as client from "openid-client";
import type { Redis } from "ioredis";
import { z } from "zod";
import { createStaffTokenVerifier, StaffTokenError } from "./staff-tokens.ts";
import type { StaffPrincipal } from "./staff-principal.ts";

export interface StaffOidcOptions {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Absolute URL of /backoffice/auth/callback as the realm knows it. */
  redirectUri: string;
  postLogoutRedirectUri: string;
}

const PENDING_SECONDS = 600;
const pendingSchema = z.object({ verifier: z.string(), nonce: z.string(), returnTo: z.string() });

export class StaffLoginError extends Error {}

/**
 * The back-office as an OIDC relying party of the staff realm (Keycloak, or the dev IdP that
 * mimics it): authorization code with PKCE, state and nonce. The pending login lives in Redis
 * under its state for ten minutes and is used once; the browser must also present the state in
 * a cookie, so a callback URL planted by someone else (login CSRF) is refused.
 */
export class StaffOidc {
  private configuration?: Promise<client.Configuration>;
  private readonly verifyTokens: ReturnType<typeof createStaffTokenVerifier>;

  constructor(
    private readonly options: StaffOidcOptions,
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    this.verifyTokens = createStaffTokenVerifier({ issuer: options.issuer, clientId: options.clientId });
  }

  /** Discovery is retried on the next login if the IdP was down. */
  private config(): Promise<client.Configuration> {
    this.configuration ??= client
      .discovery(
        new URL(this.options.issuer),
        this.options.clientId,
        this.options.clientSecret,
        client.ClientSecretBasic(this.options.clientSecret),
        {
          execute: this.options.issuer.startsWith("http:") ? [client.allowInsecureRequests] : [],
        },
      )
      .catch((err) => {
        this.configuration = undefined;
        throw err;
      });
    return this.configuration;
  }

  private key(state: string) {
    return `${this.prefix}:staff-login:${state}`;
  }

  /** Starts a login; returns the IdP URL and the state to bind to the browser. */
  async begin(returnTo: string): Promise<{ url: string; state: string }> {
    const config = await this.config();
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    await this.redis.set(this.key(state), JSON.stringify({ verifier, nonce, returnTo }), "EX", PENDING_SECONDS);
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.options.redirectUri,
      scope: "openid profile email",
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      state,
      nonce,
    });
    return { url: url.href, state };
  }

  /**
   * Finishes a login from the callback URL.
   * @throws StaffLoginError when the state is unknown, used, or not this browser's, or the IdP refused
   */
  async complete(
    callbackUrl: URL,
    browserState: string | undefined,
  ): Promise<{ principal: StaffPrincipal; idToken: string; returnTo: string }> {
    const state = callbackUrl.searchParams.get("state") ?? "";
    if (!state || state !== browserState) throw new StaffLoginError("the login was not started in this browser");
    const raw = await this.redis.getdel(this.key(state));
    const pending = raw ? pendingSchema.safeParse(JSON.parse(raw)) : null;
    if (!pending?.success) throw new StaffLoginError("the login expired or was already used");
    const error = callbackUrl.searchParams.get("error");
    if (error) throw new StaffLoginError(`the identity provider refused the login (${error})`);
    const config = await this.config();
    let tokens: client.TokenEndpointResponse;
    try {
      tokens = await client.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: pending.data.verifier,
        expectedState: state,
        expectedNonce: pending.data.nonce,
        idTokenExpected: true,
      });
    } catch (err) {
      throw new StaffLoginError(`code exchange failed: ${(err as Error).message}`);
    }
    try {
      const principal = await this.verifyTokens(
        { idToken: tokens.id_token!, accessToken: tokens.access_token },
        pending.data.nonce,
      );
      return { principal, idToken: tokens.id_token!, returnTo: pending.data.returnTo };
    } catch (err) {
      throw new StaffLoginError(err instanceof StaffTokenError ? err.message : "tokens not valid");
    }
  }

  /** RP-initiated logout at the IdP, back to the back-office home. */
  async logoutUrl(idToken: string | undefined): Promise<string> {
    const config = await this.config();
    return client.buildEndSessionUrl(config, {
      post_logout_redirect_uri: this.options.postLogoutRedirectUri,
      ...(idToken ? { id_token_hint: idToken } : {}),
    }).href;
  }
}
