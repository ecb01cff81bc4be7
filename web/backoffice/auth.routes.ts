import { Router, type Request } from "express";
import { AppError } from "../../server/platform/errors.ts";
import {
  loginAttemptWait,
  recordStaffLogin,
  STAFF_SESSION_COOKIE,
  StaffLoginError,
} from "../../server/identity/staff/index.ts";
import { readCookie } from "../shared/csrf.ts";
import type { BackofficeContext } from "./backoffice.context.ts";
import { requireCsrf, requireStaff } from "./guards.ts";

const LOGIN_COOKIE = "pp_staff_login";

/** Only our own back-office paths are valid return targets (no open redirect). */
function safeReturn(value: unknown): string {
  const v = typeof value === "string" ? value : "";
  return /^\/backoffice(\/[^\s\\]*)?$/.test(v) && !v.startsWith("//") ? v : "/backoffice/";
}

/**
 * Login and logout of staff: GET /backoffice/accedi sends the browser to the realm, the realm
 * comes back to /backoffice/auth/callback, POST /backoffice/esci ends the session here and at
 * the realm. Both login endpoints are rate-limited per client address.
 */
export function authRoutes(ctx: BackofficeContext): Router {
  const router = Router();
  const { config, redis, logger } = ctx.deps;
  const cookieBase = { httpOnly: true, sameSite: "lax" as const, secure: ctx.secureCookies };

  const rateLimited = async (req: Request) => {
    const wait = await loginAttemptWait(redis, config.QUEUE_PREFIX, req.ip ?? "unknown", config.STAFF_LOGIN_RATE_LIMIT);
    if (wait > 0)
      throw new AppError("TOO_MANY_LOGINS", `Troppi tentativi di accesso: riprova tra ${wait} secondi`, 429, {
        retryAfter: wait,
      });
  };

  router.get("/accedi", async (req, res) => {
    await rateLimited(req);
    const { url, state } = await ctx.oidc.begin(safeReturn(req.query.ritorno));
    res.cookie(LOGIN_COOKIE, state, { ...cookieBase, path: "/backoffice/auth", maxAge: 600_000 });
    res.redirect(303, url);
  });

  router.get("/auth/callback", async (req, res) => {
    await rateLimited(req);
    const callback = new URL(`${config.PUBLIC_BASE_URL.replace(/\/+$/, "")}${req.originalUrl}`);
    res.clearCookie(LOGIN_COOKIE, { ...cookieBase, path: "/backoffice/auth" });
    try {
      const { principal, idToken, returnTo } = await ctx.oidc.complete(
        callback,
        readCookie(req.headers.cookie, LOGIN_COOKIE),
      );
      await recordStaffLogin(ctx.deps.db, principal);
      const cookie = await ctx.sessions.create(principal, idToken);
      res.cookie(STAFF_SESSION_COOKIE, cookie, { ...cookieBase, path: "/backoffice" });
      logger.info({ staff: principal.username }, "staff login");
      res.redirect(303, returnTo);
    } catch (err) {
      if (!(err instanceof StaffLoginError)) throw err;
      logger.warn({ reason: err.message }, "staff login refused");
      res.status(400).render("backoffice/views/login-failed", { layout: "backoffice", title: "Accesso non riuscito" });
    }
  });

  router.post("/esci", requireStaff(ctx), requireCsrf, async (req, res) => {
    const idToken = res.locals.staff!.idToken;
    await ctx.sessions.destroy(readCookie(req.headers.cookie, STAFF_SESSION_COOKIE));
    res.clearCookie(STAFF_SESSION_COOKIE, { ...cookieBase, path: "/backoffice" });
    res.redirect(303, await ctx.oidc.logoutUrl(idToken));
  });
  return router;
}
