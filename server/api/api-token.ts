import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from "jose";
import { z } from "zod";

/** A council system calling the REST API with a service-account token of the realm. */
export interface ApiPrincipal {
  clientId: string;
  /** Client roles of the API audience, e.g. positions.read, receipts.read. */
  roles: ReadonlySet<string>;
  /** IPA codes of the tenants whose `/tenants/<ipa>/systems` group the account belongs to. */
  tenants: ReadonlySet<string>;
}

export class ApiTokenError extends Error {}

const SYSTEMS_GROUP = /^\/tenants\/([a-z0-9_]{2,40})\/systems$/i;

// Keycloak access-token claims we rely on; anything else in the token is ignored.
const claimsSchema = z.object({
  typ: z.literal("Bearer"),
  azp: z.string().min(1),
  exp: z.number(),
  groups: z.array(z.string()).default([]),
  resource_access: z.record(z.string(), z.object({ roles: z.array(z.string()).default([]) })).default({}),
});

export interface ApiTokenVerifierOptions {
  issuer: string;
  audience: string;
  /** Keys to trust; default the realm's JWKS (`<issuer>/protocol/openid-connect/certs`, cached by jose). */
  keys?: JWTVerifyGetKey;
}

/**
 * Verifies a bearer token as Keycloak issues it to a council system (client_credentials): RS256
 * or ES256 signature by a key of the realm, our issuer, the API audience, not expired (30 s of
 * clock skew), an access token (`typ: Bearer`, not an ID token). Roles and tenants come from the
 * token alone; the caller still checks them against the route.
 * @throws ApiTokenError with a reason that is safe to show
 */
export function createApiTokenVerifier(options: ApiTokenVerifierOptions): (token: string) => Promise<ApiPrincipal> {
  const keys =
    options.keys ?? createRemoteJWKSet(new URL(`${options.issuer.replace(/\/+$/, "")}/protocol/openid-connect/certs`));
  // A council system sends the same token with every request until it expires: its verified
  // principal is reused (the signature check is most of an API request's CPU after the database)
  // until its expiry, at most VERIFIED_REUSE_MS. Keyed by the whole token, so nothing unverified
  // can match an entry.
  const verified = new Map<string, { principal: ApiPrincipal; until: number }>();
  return async (token) => {
    const hit = verified.get(token);
    if (hit && Date.now() < hit.until) return hit.principal;
    const principal = await verifyToken(token);
    if (verified.size >= VERIFIED_MAX) verified.clear();
    verified.set(token, {
      principal: principal.value,
      until: Math.min(principal.exp * 1000, Date.now() + VERIFIED_REUSE_MS),
    });
    return principal.value;
  };

  async function verifyToken(token: string): Promise<{ value: ApiPrincipal; exp: number }> {
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: ["RS256", "ES256", "PS256"],
        clockTolerance: 30,
        requiredClaims: ["exp", "iat"],
      }));
    } catch (err) {
      throw new ApiTokenError(reason(err));
    }
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) throw new ApiTokenError("not an access token of the realm");
    const tenants = claims.data.groups.flatMap((g) => SYSTEMS_GROUP.exec(g)?.[1] ?? []);
    return {
      exp: claims.data.exp,
      value: {
        clientId: claims.data.azp,
        roles: new Set(claims.data.resource_access[options.audience]?.roles ?? []),
        tenants: new Set(tenants),
      },
    };
  }
}

/** How long a verified token's principal is reused at most (and never past the token's expiry). */
const VERIFIED_REUSE_MS = 60_000;
/** Tokens remembered at once; the memory is dropped whole when full (a re-verification each). */
const VERIFIED_MAX = 10_000;

function reason(err: unknown): string {
  if (err instanceof errors.JWTExpired) return "token expired";
  if (err instanceof errors.JWTClaimValidationFailed) return `token claim ${err.claim} not accepted`;
  if (err instanceof errors.JWSSignatureVerificationFailed || err instanceof errors.JWKSNoMatchingKey)
    return "token signature not valid";
  return "token not valid";
}
