import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from "jose";
import { principalFromClaims, type StaffPrincipal } from "./staff-principal.ts";

export class StaffTokenError extends Error {}

export interface StaffTokenVerifierOptions {
  issuer: string;
  /** The back-office client: audience of the ID token, `azp` and an audience of the access token. */
  clientId: string;
  /** Keys to trust; default the realm's JWKS. */
  keys?: JWTVerifyGetKey;
}

const VERIFY = { algorithms: ["RS256", "ES256", "PS256"], clockTolerance: 30, requiredClaims: ["exp", "iat", "sub"] };

/**
 * Checks the tokens of a finished login with jose, independently of the OIDC library: both
 * signed by a key of the realm, our issuer and audience, unexpired, the ID token bound to the
 * login's nonce, the access token issued to the back-office for the same person. The principal
 * is built from the verified access token (roles and groups).
 * @throws StaffTokenError with a reason safe to log
 */
export function createStaffTokenVerifier(options: StaffTokenVerifierOptions) {
  const keys =
    options.keys ?? createRemoteJWKSet(new URL(`${options.issuer.replace(/\/+$/, "")}/protocol/openid-connect/certs`));
  return async (tokens: { idToken: string; accessToken: string }, expectedNonce: string): Promise<StaffPrincipal> => {
    const id = await verify(tokens.idToken, keys, options, "ID token");
    if (id.nonce !== expectedNonce) throw new StaffTokenError("ID token nonce does not match the login");
    const access = await verify(tokens.accessToken, keys, options, "access token");
    if (access.typ !== "Bearer") throw new StaffTokenError("access token has the wrong type");
    if (access.azp !== options.clientId) throw new StaffTokenError("access token issued to another client");
    if (access.sub !== id.sub) throw new StaffTokenError("access token and ID token name different people");
    try {
      return principalFromClaims(access);
    } catch {
      throw new StaffTokenError("access token lacks the realm's claims");
    }
  };
}

async function verify(token: string, keys: JWTVerifyGetKey, options: StaffTokenVerifierOptions, what: string) {
  try {
    const { payload } = await jwtVerify(token, keys, { ...VERIFY, issuer: options.issuer, audience: options.clientId });
    return payload;
  } catch (err) {
    throw new StaffTokenError(`${what} refused: ${reason(err)}`);
  }
}

function reason(err: unknown): string {
  if (err instanceof errors.JWTExpired) return "expired";
  if (err instanceof errors.JWTClaimValidationFailed) return `claim ${err.claim} not accepted`;
  if (err instanceof errors.JWSSignatureVerificationFailed || err instanceof errors.JWKSNoMatchingKey)
    return "signature not valid";
  return "not a valid token";
}
