import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWTPayload } from "jose";
import { beforeAll, describe, expect, test } from "vitest";
import { createStaffTokenVerifier, StaffTokenError } from "./staff-tokens.ts";

const ISSUER = "http://realm.test/realms/pontepa";
const CLIENT = "pontepa-backoffice";
const NONCE = "n-0123456789";

let realmKey: CryptoKey;
let otherKey: CryptoKey;
let verify: ReturnType<typeof createStaffTokenVerifier>;

beforeAll(async () => {
  const realm = await generateKeyPair("RS256");
  const other = await generateKeyPair("RS256");
  realmKey = realm.privateKey;
  otherKey = other.privateKey;
  const keys = createLocalJWKSet({ keys: [{ ...(await exportJWK(realm.publicKey)), kid: "realm", alg: "RS256" }] });
  verify = createStaffTokenVerifier({ issuer: ISSUER, clientId: CLIENT, keys });
});

const staffClaims = {
  sub: "u-1",
  preferred_username: "operatore.borgo",
  name: "Marco Bianchi",
  realm_access: { roles: ["operator"] },
  groups: ["/tenants/c_x001/operators"],
};

async function sign(
  payload: JWTPayload,
  options: { key?: CryptoKey; kid?: string; issuer?: string; audience?: string | string[]; exp?: string | number } = {},
) {
  return new SignJWT(payload)
    .setProtectedHeader({ alg: "RS256", kid: options.kid ?? "realm" })
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? CLIENT)
    .setIssuedAt()
    .setExpirationTime(options.exp ?? "5m")
    .sign(options.key ?? realmKey);
}

const idToken = (o = {}, claims: JWTPayload = {}) => sign({ ...staffClaims, nonce: NONCE, ...claims }, o);
const accessToken = (o = {}, claims: JWTPayload = {}) =>
  sign({ ...staffClaims, typ: "Bearer", azp: CLIENT, ...claims }, { audience: [CLIENT, "pontepa-api"], ...o });

async function refusal(tokens: Promise<{ idToken: string; accessToken: string }>, nonce = NONCE): Promise<string> {
  try {
    await verify(await tokens, nonce);
  } catch (err) {
    expect(err).toBeInstanceOf(StaffTokenError);
    return (err as Error).message;
  }
  throw new Error("tokens were accepted");
}

const pair = async (id: Promise<string>, access: Promise<string>) => ({ idToken: await id, accessToken: await access });

describe("staff tokens after the code exchange", () => {
  test("genuine tokens give the principal with the council membership from the groups", async () => {
    const principal = await verify(await pair(idToken(), accessToken()), NONCE);
    expect(principal).toEqual({
      subject: "u-1",
      username: "operatore.borgo",
      name: "Marco Bianchi",
      email: null,
      platformRoles: [],
      memberships: { c_x001: ["operator"] },
    });
  });

  test("a token signed by a key that is not the realm's is refused (forged)", async () => {
    expect(await refusal(pair(idToken({ key: otherKey }), accessToken()))).toBe(
      "ID token refused: signature not valid",
    );
    expect(await refusal(pair(idToken(), accessToken({ key: otherKey })))).toBe(
      "access token refused: signature not valid",
    );
  });

  test("an expired token is refused", async () => {
    const past = Math.floor(Date.now() / 1000) - 3600;
    expect(await refusal(pair(idToken(), accessToken({ exp: past })))).toBe("access token refused: expired");
    expect(await refusal(pair(idToken({ exp: past }), accessToken()))).toBe("ID token refused: expired");
  });

  test("a token for another audience or from another issuer is refused", async () => {
    expect(await refusal(pair(idToken({ audience: "another-client" }), accessToken()))).toBe(
      "ID token refused: claim aud not accepted",
    );
    expect(await refusal(pair(idToken(), accessToken({ audience: "pontepa-api" })))).toBe(
      "access token refused: claim aud not accepted",
    );
    expect(await refusal(pair(idToken({ issuer: "http://evil.test/realms/pontepa" }), accessToken()))).toBe(
      "ID token refused: claim iss not accepted",
    );
  });

  test("a replayed ID token of another login (nonce), an ID token used as access token, mixed people are refused", async () => {
    expect(await refusal(pair(idToken(), accessToken()), "another-nonce")).toBe(
      "ID token nonce does not match the login",
    );
    expect(await refusal(pair(idToken(), idToken({ audience: [CLIENT, "pontepa-api"] })))).toBe(
      "access token has the wrong type",
    );
    expect(await refusal(pair(idToken(), accessToken({}, { azp: "gestionale-borgo-fiorito" })))).toBe(
      "access token issued to another client",
    );
    expect(await refusal(pair(idToken(), accessToken({}, { sub: "u-2" })))).toBe(
      "access token and ID token name different people",
    );
  });

  test("an unsigned token (alg none) is refused", async () => {
    const header = Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url");
    const body = Buffer.from(
      JSON.stringify({
        ...staffClaims,
        typ: "Bearer",
        azp: CLIENT,
        iss: ISSUER,
        aud: CLIENT,
        iat: 1,
        exp: 9_999_999_999,
      }),
    ).toString("base64url");
    expect(await refusal(pair(idToken(), Promise.resolve(`${header}.${body}.`)))).toBe(
      "access token refused: not a valid token",
    );
  });
});
