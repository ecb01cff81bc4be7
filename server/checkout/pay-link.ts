import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import type { AppConfig } from "../config/env.ts";

/**
 * The signed "pay this notice" link a council e-mails or prints: `/paga/<payload>.<mac>`, the
 * payload naming the council (IPA code), the notice (NAV) and when the link stops working,
 * the mac an HMAC-SHA256 of the payload. Nothing is stored: the link is checked by its signature
 * alone, so a council can issue as many as it likes; it never carries the debtor's data.
 */
export interface PayLink {
  ipa: string;
  nav: string;
  expiresAt: Date;
}

const payloadSchema = z.object({
  v: z.literal(1),
  i: z.string().min(1).max(40),
  n: z.string().regex(/^\d{18}$/),
  e: z.number().int().positive(),
});

/** The key of the links: PAY_LINK_SECRET, or one derived from the session secret for this use only. */
export function payLinkKey(config: Pick<AppConfig, "PAY_LINK_SECRET" | "STAFF_SESSION_SECRET">): Buffer {
  const secret = config.PAY_LINK_SECRET ?? config.STAFF_SESSION_SECRET;
  return Buffer.from(hkdfSync("sha256", secret, "", "pontepa pay link v1", 32));
}

const mac = (key: Buffer, payload: string) => createHmac("sha256", key).update(payload).digest();

/** The token of a link (URL-safe, no padding). */
export function signPayLink(key: Buffer, link: PayLink): string {
  const payload = Buffer.from(
    JSON.stringify({ v: 1, i: link.ipa, n: link.nav, e: Math.floor(link.expiresAt.getTime() / 1000) }),
  ).toString("base64url");
  return `${payload}.${mac(key, payload).toString("base64url")}`;
}

export type PayLinkCheck = { ok: true; link: PayLink } | { ok: false; reason: "invalid" | "expired" };

/** What a token says, if its signature holds and it has not expired (the signature is checked first). */
export function readPayLink(key: Buffer, token: string, now = new Date()): PayLinkCheck {
  const [payload, signature, extra] = token.split(".");
  if (!payload || !signature || extra !== undefined) return { ok: false, reason: "invalid" };
  const given = Buffer.from(signature, "base64url");
  const expected = mac(key, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "invalid" };
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return { ok: false, reason: "invalid" };
  }
  const parsed = payloadSchema.safeParse(decoded);
  if (!parsed.success) return { ok: false, reason: "invalid" };
  const expiresAt = new Date(parsed.data.e * 1000);
  if (expiresAt <= now) return { ok: false, reason: "expired" };
  return { ok: true, link: { ipa: parsed.data.i, nav: parsed.data.n, expiresAt } };
}
