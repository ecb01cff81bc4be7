import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";
import type { Request, RequestHandler } from "express";
import { AppError } from "../../server/platform/errors.ts";

/** The portal's CSRF cookie (also the anonymous visitor's session key for rate limits). */
export const CSRF_COOKIE = "pp_csrf";
const FORMAT = /^([\w-]{43})\.([\w-]{43})$/;

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(";") ?? []) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) {
      try {
        return decodeURIComponent(v.join("="));
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

export interface CsrfOptions {
  secure: boolean;
  /** A server secret; the signing key is derived from it for this use only. */
  secret: string;
  /** The session the token is bound to (e.g. the SPID session cookie), when the visitor has one. */
  bindTo?: (req: Request) => string | undefined;
}

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * Signed double-submit CSRF protection for server-rendered forms: the cookie holds a random
 * value and its HMAC over that value and the visitor's session (when logged in), and the same
 * token must come back in the form's `_csrf` field. A cookie planted by someone else (a sibling
 * subdomain, a network attacker on http) carries no valid signature for this session, so it is
 * replaced, not trusted. Works without JavaScript, with or without a session.
 */
export function csrfProtection(options: CsrfOptions): RequestHandler {
  const key = Buffer.from(hkdfSync("sha256", options.secret, "", "pontepa citizen csrf v1", 32));
  const sign = (nonce: string, binding: string) =>
    createHmac("sha256", key).update(`${nonce}|${binding}`).digest("base64url");
  const valid = (token: string | undefined, binding: string): token is string => {
    const m = token ? FORMAT.exec(token) : null;
    return !!m && same(m[2]!, sign(m[1]!, binding));
  };
  return (req, res, next) => {
    const binding = options.bindTo?.(req) ?? "";
    let token = readCookie(req.headers.cookie, CSRF_COOKIE);
    const cookieValid = valid(token, binding);
    if (!cookieValid) {
      const nonce = randomBytes(32).toString("base64url");
      token = `${nonce}.${sign(nonce, binding)}`;
      res.cookie(CSRF_COOKIE, token, { httpOnly: true, sameSite: "lax", secure: options.secure, path: "/" });
    }
    res.locals.csrfToken = token;
    if (["GET", "HEAD", "OPTIONS"].includes(req.method)) return next();
    const sent = typeof req.body?._csrf === "string" ? req.body._csrf : "";
    if (!cookieValid || !same(sent, token!)) {
      return next(new AppError("CSRF_INVALID", "La sessione del modulo è scaduta: ricarica la pagina e riprova", 403));
    }
    next();
  };
}

export { readCookie };
