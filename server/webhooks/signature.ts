import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): the signed content is
 * `${id}.${timestamp}.${body}`, HMAC-SHA256 keyed with the base64-decoded part of a
 * `whsec_<base64>` secret, sent as `webhook-signature: v1,<base64>`; several signatures are
 * separated by spaces (a rotated secret signs beside the new one during the overlap).
 */
export const SECRET_PREFIX = "whsec_";

/** A new endpoint secret: 32 random bytes (the spec asks for 24 to 64). */
export function generateSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString("base64");
}

function keyOf(secret: string): Buffer {
  return Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, "base64");
}

/** One `v1,<base64>` signature of a message. `timestamp` is in whole seconds. */
export function sign(secret: string, id: string, timestamp: number, body: string): string {
  const mac = createHmac("sha256", keyOf(secret)).update(`${id}.${timestamp}.${body}`).digest("base64");
  return `v1,${mac}`;
}

export type SignedHeaders = {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
};

/** The three headers of a delivery, signed with every secret given (current first). */
export function signedHeaders(secrets: readonly string[], id: string, timestamp: number, body: string): SignedHeaders {
  return {
    "webhook-id": id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": secrets.map((s) => sign(s, id, timestamp, body)).join(" "),
  };
}

/**
 * What a receiver does: true when one of the signatures was made with `secret` and the
 * timestamp is within `toleranceSeconds` of `nowSeconds` (replay protection).
 */
export function verifySignature(
  secret: string,
  headers: { id: string; timestamp: string; signature: string },
  body: string,
  nowSeconds = Math.floor(Date.now() / 1000),
  toleranceSeconds = 300,
): boolean {
  const timestamp = Number(headers.timestamp);
  if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(sign(secret, headers.id, timestamp, body).slice(3), "base64");
  return headers.signature.split(" ").some((candidate) => {
    const [version, mac] = candidate.split(",", 2);
    if (version !== "v1" || !mac) return false;
    const given = Buffer.from(mac, "base64");
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
