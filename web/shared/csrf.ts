import { randomBytes, timingSafeEqual } from "node:crypto";
import type { RequestHandler } from "express";
import { AppError } from "../../server/platform/errors.ts";

const COOKIE = "pp_csrf";

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(";") ?? []) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return decodeURIComponent(v.join("="));
  }
  return undefined;
}

/**
 * Double-submit CSRF protection for server-rendered forms: a random token in a SameSite cookie
 * must come back in the form's `_csrf` field. Works without JavaScript and without a session.
 */
export function csrfProtection(options: { secure: boolean }): RequestHandler {
  return (req, res, next) => {
    let token = readCookie(req.headers.cookie, COOKIE);
    if (!token || !/^[\w-]{43}$/.test(token)) {
      token = randomBytes(32).toString("base64url");
      res.cookie(COOKIE, token, { httpOnly: true, sameSite: "lax", secure: options.secure, path: "/" });
    }
    res.locals.csrfToken = token;
    if (["GET", "HEAD", "OPTIONS"].includes(req.method)) return next();
    const sent = typeof req.body?._csrf === "string" ? req.body._csrf : "";
    const a = Buffer.from(sent);
    const b = Buffer.from(token);
    if (a.length !== b.length || !timingSafeEqual(a, b)) {
      return next(new AppError("CSRF_INVALID", "La sessione del modulo è scaduta: ricarica la pagina e riprova", 403));
    }
    next();
  };
}

export { readCookie };
