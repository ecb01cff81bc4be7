import express, { Router, type Request, type Response } from "express";
import { readCookie } from "../shared/csrf.ts";
import {
  CIE_LOGIN_COOKIE,
  CITIZEN_SESSION_COOKIE,
  CitizenSessions,
  SPID_LOGIN_COOKIE,
  type CitizenSession,
} from "../../server/identity/spid/citizen-session.ts";
import type { SpidServiceProviders } from "../../server/identity/spid/service-providers.ts";
import { SpidLoginError } from "../../server/identity/spid/spid-errors.ts";
import type { SpidServiceProvider } from "../../server/identity/spid/spid-service.ts";
import {
  LOGOUT_NOT_CONFIRMED,
  type LogoutResponseMessage,
} from "../../server/identity/spid/validate-logout-response.ts";
import type { CitizenContext } from "./citizen.context.ts";

/** Only a local path may be a return target: never another site (open redirect). */
export function safeReturnPath(value: unknown): string {
  return typeof value === "string" && /^\/(?![/\\])[\w\-./?=&%]*$/.test(value) ? value : "/le-mie-posizioni";
}

/** The council a login is for: `ente` in the query, else the council page the citizen returns to. */
export function councilOfLogin(query: Record<string, unknown>): string | null {
  if (typeof query.ente === "string" && /^[a-z0-9_]{2,40}$/i.test(query.ente)) return query.ente;
  return /^\/enti\/([a-z0-9_]{2,40})(?:[/?]|$)/i.exec(safeReturnPath(query.ritorno))?.[1] ?? null;
}

export interface SpidRoutes {
  /** Mounted before the CSRF guard: the IdP posts its answers from its own site. */
  endpoints: Router;
  /** The login page and logout, behind the CSRF guard like every other page. */
  pages: Router;
  /** The logged-in citizen of a request, or null. */
  sessionOf(req: Request): Promise<CitizenSession | null>;
}

export function spidRoutes(ctx: CitizenContext, providers: SpidServiceProviders): SpidRoutes {
  const sessions = new CitizenSessions(ctx.deps.redis, ctx.deps.config.QUEUE_PREFIX);
  const sessionOf = (req: Request) => sessions.get(readCookie(req.headers.cookie, CITIZEN_SESSION_COOKIE));
  const cookie = { httpOnly: true, sameSite: "lax" as const, secure: ctx.secureCookies, path: "/" };
  const form = express.urlencoded({ extended: false, limit: "512kb" });
  // The IdP posts the answer cross-site: a Lax cookie would not come along in production (https),
  // so the login cookie is SameSite=None there; in development IdP and portal are same-site.
  // SPID's lives under /spid, CIE's under /cie: each reaches only its own ACS.
  const loginCookie = (sp: SpidServiceProvider) => ({
    name: sp.scheme === "cie" ? CIE_LOGIN_COOKIE : SPID_LOGIN_COOKIE,
    options: {
      httpOnly: true,
      secure: ctx.secureCookies,
      sameSite: ctx.secureCookies ? ("none" as const) : ("lax" as const),
      path: sp.scheme === "cie" ? "/cie" : "/spid",
      maxAge: 15 * 60_000,
    },
  });

  async function acs(sp: SpidServiceProvider, req: Request, res: Response) {
    try {
      const samlResponse = typeof req.body?.SAMLResponse === "string" ? req.body.SAMLResponse : "";
      const relayState = typeof req.body?.RelayState === "string" ? req.body.RelayState : undefined;
      const login = loginCookie(sp);
      res.clearCookie(login.name, { path: login.options.path });
      const { identity, returnTo } = await sp.acceptResponse(samlResponse, {
        browserKey: readCookie(req.headers.cookie, login.name),
        relayState,
      });
      await sessions.destroy(readCookie(req.headers.cookie, CITIZEN_SESSION_COOKIE)); // a new id at every login
      const id = await sessions.create({
        fiscalCode: identity.fiscalCode,
        name: [identity.name, identity.familyName].filter(Boolean).join(" ") || identity.fiscalCode,
        email: identity.email,
        level: identity.level,
        idp: identity.idp,
        nameId: identity.nameId,
        sessionIndex: identity.sessionIndex,
        scheme: sp.scheme,
        spTenant: sp.tenant,
      });
      res.cookie(CITIZEN_SESSION_COOKIE, id, cookie).redirect(303, safeReturnPath(returnTo));
    } catch (err) {
      if (!(err instanceof SpidLoginError)) throw err;
      req.log?.warn(
        { reason: err.reason, spidCode: err.spidCode, sp: sp.entityId, scheme: sp.scheme },
        `${sp.scheme === "cie" ? "CIE" : "SPID"} login refused`,
      );
      res.status(401).render("citizen/views/spid-error", { title: "Accesso non riuscito", message: err.message });
    }
  }

  // The IdP's LogoutResponse: by HTTP-POST (what our metadata prefers) or HTTP-Redirect. Our
  // session is already gone (ended before the citizen left for the IdP); this only reports.
  async function slo(sp: SpidServiceProvider, req: Request, res: Response) {
    const rawQuery = req.originalUrl.includes("?") ? req.originalUrl.slice(req.originalUrl.indexOf("?") + 1) : "";
    const params = (req.method === "POST" ? req.body : req.query) as Record<string, unknown> | undefined;
    const samlResponse = params?.SAMLResponse;
    try {
      // An IdP-initiated LogoutRequest (SAMLRequest) is not supported yet: see the SPID README.
      if (typeof samlResponse !== "string")
        throw new SpidLoginError("no SAMLResponse at the SingleLogoutService", LOGOUT_NOT_CONFIRMED);
      const message: LogoutResponseMessage = {
        binding: req.method === "POST" ? "post" : "redirect",
        samlResponse,
        rawQuery,
      };
      await sp.acceptLogoutResponse(message);
      res.render("citizen/views/spid-logout", { title: "Sei uscito", confirmed: true, cie: sp.scheme === "cie" });
    } catch (err) {
      // Whatever failed (a bad answer, the registry unreachable), the citizen learns the same thing.
      const reason = err instanceof SpidLoginError ? err.reason : String(err);
      req.log?.warn({ reason, sp: sp.entityId }, "SPID LogoutResponse refused");
      res.status(err instanceof SpidLoginError ? 400 : 502).render("citizen/views/spid-logout", {
        title: "Sei uscito dal portale",
        confirmed: false,
        message: LOGOUT_NOT_CONFIRMED,
      });
    }
  }

  const endpoints = Router();
  endpoints.get("/spid/metadata", (_req, res) => {
    res.type("application/samlmetadata+xml").send(providers.aggregator.metadata());
  });
  endpoints.post("/spid/acs", form, (req, res) => acs(providers.aggregator, req, res));
  endpoints.all("/spid/slo", form, (req, res) => slo(providers.aggregator, req, res));
  // Per-tenant mode: each council's own SP; nothing here otherwise (forTenant gives null: 404).
  const council = Router({ mergeParams: true });
  council.use(async (req, res, next) => {
    const sp = await providers.forTenant((req.params as { ipa: string }).ipa);
    if (!sp) return next("router");
    res.locals.sp = sp;
    next();
  });
  council.get("/metadata", (_req, res) => {
    res.type("application/samlmetadata+xml").send((res.locals.sp as SpidServiceProvider).metadata());
  });
  council.post("/acs", form, (req, res) => acs(res.locals.sp, req, res));
  council.all("/slo", form, (req, res) => slo(res.locals.sp, req, res));
  endpoints.use("/spid/enti/:ipa", council);
  // CIE ID: the Region's CIE SP, when CIE_IDP_METADATA names an IdP.
  const cie = providers.cie;
  if (cie) {
    endpoints.get("/cie/metadata", (_req, res) => {
      res.type("application/samlmetadata+xml").send(cie.metadata());
    });
    endpoints.post("/cie/acs", form, (req, res) => acs(cie, req, res));
    endpoints.all("/cie/slo", form, (req, res) => slo(cie, req, res));
  }

  const pages = Router();
  pages.get("/accedi", async (req, res) => {
    const returnTo = encodeURIComponent(safeReturnPath(req.query.ritorno));
    const sp = await providers.forLogin(councilOfLogin(req.query));
    const ente = sp.tenant ? `&ente=${encodeURIComponent(sp.tenant)}` : "";
    const idps = (await sp.identityProviders()).map((i) => ({
      name: i.name,
      href: `/spid/login?idp=${encodeURIComponent(i.entityId)}&ritorno=${returnTo}${ente}`,
    }));
    res.render("citizen/views/spid-login", {
      title: cie ? "Accedi con SPID o CIE" : "Accedi con SPID",
      idps,
      council: sp.tenant ? sp.profile.organization : null,
      cieHref: cie ? `/cie/login?ritorno=${returnTo}` : null,
    });
  });
  pages.get("/spid/login", async (req, res) => {
    try {
      const sp = await providers.forLogin(councilOfLogin(req.query));
      const { url, browserKey } = await sp.startLogin(String(req.query.idp ?? ""), safeReturnPath(req.query.ritorno));
      // 302, the status AgID's tools accept for the HTTP-Redirect binding (not 303).
      const login = loginCookie(sp);
      res.cookie(login.name, browserKey, login.options).redirect(302, url);
    } catch (err) {
      if (!(err instanceof SpidLoginError)) throw err;
      res.status(400).render("citizen/views/spid-error", { title: "Accesso non riuscito", message: err.message });
    }
  });
  // CIE ID has one IdP (the Ministry's): no choice to make, straight to it.
  pages.get("/cie/login", async (req, res) => {
    try {
      if (!cie)
        return res.status(404).render("citizen/views/spid-error", {
          title: "Pagina non trovata",
          message: "L'accesso con CIE non è disponibile.",
        });
      const [idp] = await cie.identityProviders();
      if (!idp)
        throw new SpidLoginError("no IdP in CIE_IDP_METADATA", "L'accesso con CIE non è disponibile al momento.");
      const { url, browserKey } = await cie.startLogin(idp.entityId, safeReturnPath(req.query.ritorno));
      const login = loginCookie(cie);
      res.cookie(login.name, browserKey, login.options).redirect(302, url);
    } catch (err) {
      if (!(err instanceof SpidLoginError)) throw err;
      res.status(400).render("citizen/views/spid-error", { title: "Accesso non riuscito", message: err.message });
    }
  });
  pages.post("/esci", async (req, res) => {
    const id = readCookie(req.headers.cookie, CITIZEN_SESSION_COOKIE);
    const session = await sessions.get(id);
    // Our session ends first, whatever the IdP does next: a failing IdP never keeps anyone logged in.
    await sessions.destroy(id);
    res.clearCookie(CITIZEN_SESSION_COOKIE, { path: "/" });
    if (!session) return res.redirect(303, "/");
    try {
      const sp = await providers.forSession(session.spTenant, session.scheme);
      if (!sp) throw new SpidLoginError(`the SP of council ${session.spTenant} is gone`, LOGOUT_NOT_CONFIRMED);
      res.redirect(303, await sp.logoutUrl(session));
    } catch (err) {
      const reason = err instanceof SpidLoginError ? err.reason : String(err);
      req.log?.warn({ reason, idp: session.idp }, "SPID single logout not started");
      res.render("citizen/views/spid-logout", {
        title: "Sei uscito dal portale",
        confirmed: false,
        message: LOGOUT_NOT_CONFIRMED,
      });
    }
  });

  return { endpoints, pages, sessionOf };
}
