import { timingSafeEqual } from "node:crypto";
import type { RequestHandler } from "express";
import { AppError } from "../../server/platform/errors.ts";
import { can, STAFF_SESSION_COOKIE, type Permission } from "../../server/identity/staff/index.ts";
import { resolveTenant } from "../../server/platform/http/resolve-tenant.ts";
import { findTenantByIpaCode } from "../../server/tenancy/index.ts";
import { readCookie } from "../shared/csrf.ts";
import type { BackofficeContext } from "./backoffice.context.ts";

/**
 * Every back-office request past the login needs a live staff session: pages redirect to the
 * login (and come back), anything else gets 401. The session lands in res.locals.staff.
 */
export function requireStaff(ctx: BackofficeContext): RequestHandler {
  return async (req, res, next) => {
    const session = await ctx.sessions.get(readCookie(req.headers.cookie, STAFF_SESSION_COOKIE));
    if (!session) {
      if (req.method === "GET" && req.accepts(["html", "json"]) === "html") {
        return res.redirect(303, `/backoffice/accedi?ritorno=${encodeURIComponent(req.originalUrl)}`);
      }
      return next(new AppError("UNAUTHENTICATED", "Sessione scaduta o assente: accedi di nuovo", 401));
    }
    res.locals.staff = session;
    res.locals.csrfToken = session.csrfToken;
    next();
  };
}

/**
 * Synchronizer-token CSRF check bound to the staff session: every state-changing request must
 * return the session's token in `_csrf` (forms) or `X-CSRF-Token` (the preview's fetch).
 */
/**
 * Multipart uploads whose handler checks the token itself, from the form's first field, before
 * it accepts any file byte (imports.pages.ts): the body is a stream here, not yet parsed.
 */
const SELF_CHECKED_UPLOADS = /^\/backoffice\/enti\/[^/]+\/(importazioni|impostazioni\/logo|riconciliazione\/giornali)$/;

export const requireCsrf: RequestHandler = (req, res, next) => {
  if (["GET", "HEAD", "OPTIONS"].includes(req.method)) return next();
  if (req.is("multipart/form-data") && SELF_CHECKED_UPLOADS.test(req.originalUrl.split("?")[0]!)) return next();
  const sent = typeof req.body?._csrf === "string" ? req.body._csrf : (req.get("x-csrf-token") ?? "");
  const expected = Buffer.from(res.locals.staff!.csrfToken);
  const given = Buffer.from(sent);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return next(
      new AppError(
        "CSRF_INVALID",
        "Il modulo è scaduto o non proviene da questa sessione: ricarica la pagina e riprova",
        403,
      ),
    );
  }
  next();
};

/**
 * Resolves `:ipa` to the council and refuses anyone who may not even read it, before any route
 * of the council runs. Handlers then read and write only through db.withTenant(tenant.id), so
 * row-level security stops an id of another council even if a check were missing.
 */
export function tenantGuard(ctx: BackofficeContext): RequestHandler {
  return resolveTenant({
    find: (ipa) => findTenantByIpaCode(ctx.deps.db, ipa),
    authorize: (ipa, res) => can(res.locals.staff!.principal, "tenant.read", ipa),
  });
}

/** A route's permission, for the council in res.locals.tenant when there is one. */
export function allow(permission: Permission): RequestHandler {
  return (_req, res, next) => {
    const ok = can(res.locals.staff!.principal, permission, res.locals.tenant?.ipaCode);
    next(ok ? undefined : new AppError("FORBIDDEN", "Il tuo ruolo non consente questa operazione", 403));
  };
}

/** The check of `requireCsrf` for a token read by the handler (multipart uploads). */
export function csrfTokenMatches(res: { locals: { staff?: { csrfToken: string } } }, sent: string): boolean {
  const expected = Buffer.from(res.locals.staff!.csrfToken);
  const given = Buffer.from(sent);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
