import { generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { calculateJwkThumbprint, type JWK } from "jose";
import { z } from "zod";

const keyFileSchema = z.object({
  signing: z.looseObject({ kty: z.literal("RSA"), kid: z.string(), d: z.string(), n: z.string(), e: z.string() }),
  cookieKeys: z.array(z.string().min(32)).min(1),
});

/** The realm's persisted secrets: the RS256 signing key (private JWK) and the cookie keys. */
export interface RealmKeys {
  signing: JWK & { kid: string };
  cookieKeys: string[];
}

/**
 * Loads the realm keys from `<dataDir>/keys.json`, creating them on first start. They are kept on
 * disk so that tokens issued before a restart still verify against the JWKS afterwards.
 */
export async function loadOrCreateRealmKeys(dataDir: string): Promise<RealmKeys> {
  const file = path.join(dataDir, "keys.json");
  if (existsSync(file)) {
    const parsed = keyFileSchema.parse(JSON.parse(await readFile(file, "utf8")));
    return { signing: parsed.signing as JWK & { kid: string }, cookieKeys: parsed.cookieKeys };
  }
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = privateKey.export({ format: "jwk" }) as JWK;
  const kid = await calculateJwkThumbprint(jwk);
  const keys: RealmKeys = {
    signing: { ...jwk, kid, alg: "RS256", use: "sig" },
    cookieKeys: [randomBytes(32).toString("base64url")],
  };
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
  return keys;
}

/** The public half of a private JWK, as published at the JWKS endpoint. */
export function publicJwk(jwk: JWK & { kid: string }): JWK & { kid: string } {
  const { kty, n, e, kid, alg, use } = jwk;
  return { kty, n, e, kid, alg, use } as JWK & { kid: string };
}
