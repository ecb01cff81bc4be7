import express, { Router, type Request, type Response } from "express";
import { readCookie } from "../shared/csrf.ts";
import { CITIZEN_SESSION_COOKIE, CitizenSessions, type CitizenSession } from "../../server/identity/spid/citizen-session.ts";
import { SpidLoginError } from "../../server/identity/spid/spid-errors.ts";
import type { SpidServiceProvider } from "../../server/identity/spid/spid-service.ts";
import type { CitizenContext } from "./citizen.context.ts";

/** Only a local path may be a return target: never another site (open redirect). */
export function safeReturnPath(value: unknown): string {
  return typeof value === "string" && /^\/(?![/\\])[\w\-./?=&%]*$/.test(value) ? value : "/le-mie-posizioni";
}

export interface SpidRoutes {
  /** Mounted before the CSRF guard: the IdP posts the answer from its own site. */
  endpoints: Router;
  /** The login page and logout, behind the CSRF guard like every other page. */
  pages: Router;
  /** The logged-in citizen of a request, or null. */
  sessionOf(req: Request): Promise<CitizenSession | null>;
}

export function spidRoutes(ctx: CitizenContext, sp: SpidServiceProvider): SpidRoutes {
  const sessions = new CitizenSessions(ctx.deps.redis, ctx.deps.config.QUEUE_PREFIX);
  const sessionOf = (req: Request) => sessions.get(readCookie(req.headers.cookie, CITIZEN_SESSION_COOKIE));
  const cookie = { httpOnly: true, sameSite: "lax" as const, secure: ctx.secureCookies, path: "/" };

  const endpoints = Router();
  endpoints.get("/spid/metadata", (_req, res) => {
    res.type("application/samlmetadata+xml").send(sp.metadata());
  });
  endpoints.post("/spid/acs", express.urlencoded({ extended: false, limit: "512kb" }), async (req: Request, res: Response) => {
    try {
      const samlResponse = typeof req.body?.SAMLResponse === "string" ? req.body.SAMLResponse : "";
      const { identity, returnTo } = await sp.acceptResponse(samlResponse);
      await sessions.destroy(readCookie(req.headers.cookie, CITIZEN_SESSION_COOKIE)); // a new id at every login
      const id = await sessions.create({
        fiscalCode: identity.fiscalCode,
        name: [identity.name, identity.familyName].filter(Boolean).join(" ") || identity.fiscalCode,
        level: identity.level,
        idp: identity.idp,
        nameId: identity.nameId,
        sessionIndex: identity.sessionIndex,
      });
      res.cookie(CITIZEN_SESSION_COOKIE, id, cookie).redirect(303, safeReturnPath(returnTo));
    } catch (err) {
      if (!(err instanceof SpidLoginError)) throw err;
      req.log?.warn({ reason: err.reason, spidCode: err.spidCode }, "SPID login refused");
      res.status(401).render("citizen/views/spid-error", { title: "Accesso non riuscito", message: err.message });
    }
  });

  const pages = Router();
  pages.get("/accedi", async (req, res) => {
    const returnTo = encodeURIComponent(safeReturnPath(req.query.ritorno));
    const idps = (await sp.identityProviders()).map((i) => ({ name: i.name, href: `/spid/login?idp=${encodeURIComponent(i.entityId)}&ritorno=${returnTo}` }));
    res.render("citizen/views/spid-login", { title: "Accedi con SPID", idps });
  });
  pages.get("/spid/login", async (req, res) => {
    try {
      res.redirect(303, await sp.loginUrl(String(req.query.idp ?? ""), safeReturnPath(req.query.ritorno)));
    } catch (err) {
      if (!(err instanceof SpidLoginError)) throw err;
      res.status(400).render("citizen/views/spid-error", { title: "Accesso non riuscito", message: err.message });
    }
  });
  pages.post("/esci", async (req, res) => {
    await sessions.destroy(readCookie(req.headers.cookie, CITIZEN_SESSION_COOKIE));
    res.clearCookie(CITIZEN_SESSION_COOKIE, { path: "/" }).redirect(303, "/");
  });

  return { endpoints, pages, sessionOf };
}
