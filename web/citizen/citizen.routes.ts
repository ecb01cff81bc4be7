import express, { Router, type ErrorRequestHandler } from "express";
import type { Deps } from "../../server/platform/deps.ts";
import { createCheckoutDeps, viewCart } from "../../server/checkout/index.ts";
import { toProblem } from "../../server/platform/http/problem.ts";
import { AppError } from "../../server/platform/errors.ts";
import { CSRF_COOKIE, csrfProtection, readCookie } from "../shared/csrf.ts";
import { CITIZEN_SESSION_COOKIE } from "../../server/identity/spid/citizen-session.ts";
import { rateLimit } from "../../server/platform/http/rate-limit.ts";
import { PORTAL_RATE_LIMITS } from "./rate-limits.ts";
import { cartIdOf, type CitizenContext } from "./citizen.context.ts";
import { catalogPages } from "./catalog.pages.ts";
import { cartPages } from "./cart.pages.ts";
import { payNoticePages } from "./pay-notice.pages.ts";
import { payLinkPages } from "./pay-link.pages.ts";
import { downloadPages } from "./downloads.pages.ts";
import { councilPaymentPages } from "./council-payment.pages.ts";
import { spidRoutes } from "./spid.pages.ts";
import { myPositionsPages } from "./my-positions.pages.ts";
import { councilLookPages } from "./council-look.pages.ts";
import { SpidServiceProviders } from "../../server/identity/spid/service-providers.ts";
import { findTenantByIpaCode } from "../../server/tenancy/index.ts";
import { createCheckoutClient } from "../../server/nodo/checkout/index.ts";
import { MAX_LETTER_BYTES } from "../../server/tenancy/index.ts";
import { bufferedMultipart } from "../shared/buffered-upload.ts";
import { adhesionPages } from "./adhesion.pages.ts";

/**
 * The citizen portal: council directory, catalogs and forms, "pay a notice", cart, Checkout and
 * results. Server-rendered, Italian, works without JavaScript.
 */
export function citizenRoutes(deps: Deps): Router {
  const { config } = deps;
  const ctx: CitizenContext = {
    deps,
    checkout: createCheckoutDeps(
      deps,
      createCheckoutClient(
        {
          baseUrl: config.CHECKOUT_BASE_URL,
          subscriptionKey: config.CHECKOUT_SUBSCRIPTION_KEY,
          timeoutMs: config.CHECKOUT_TIMEOUT_MS,
          retries: config.CHECKOUT_RETRIES,
        },
        deps.logger,
      ),
    ),
    secureCookies: config.PUBLIC_BASE_URL.startsWith("https:"),
  };
  const router = Router();
  // Every portal endpoint is anonymous (or SPID): budgets per address and per session, in Redis.
  router.use(
    rateLimit({
      redis: deps.redis,
      prefix: config.QUEUE_PREFIX,
      buckets: PORTAL_RATE_LIMITS,
      sessionOf: (req) => readCookie(req.headers.cookie, CSRF_COOKIE),
      logger: deps.logger,
    }),
  );
  const spid = spidRoutes(
    ctx,
    new SpidServiceProviders(
      config,
      deps.redis,
      (ipa) => findTenantByIpaCode(deps.db, ipa),
      (err) => deps.logger.warn({ err }, "SPID IdP registry refresh failed; the last good copy stays in use"),
    ),
  );
  router.use(spid.endpoints); // before the CSRF guard: the IdP posts the SAML answer cross-site
  router.use(express.urlencoded({ extended: false, limit: "64kb" }));
  // The council's signed letter is the portal's one upload: parsed before the CSRF check reads _csrf.
  router.use("/adesione/richiesta", bufferedMultipart(MAX_LETTER_BYTES));
  router.use(
    csrfProtection({
      secure: ctx.secureCookies,
      // One production-checked secret; the CSRF key is derived from it for this use only.
      secret: config.STAFF_SESSION_SECRET,
      bindTo: (req) => readCookie(req.headers.cookie, CITIZEN_SESSION_COOKIE),
    }),
  );
  router.use(async (req, res, next) => {
    // The header shows who is logged in (and "Esci") on every page.
    res.locals.citizen = await spid.sessionOf(req).catch(() => null);
    // On a council's pages "Accedi" comes back there, and in per-tenant mode uses its SP.
    if (req.method === "GET" && /^\/enti\/[a-z0-9_]{2,40}(\/|$)/i.test(req.path))
      res.locals.loginHref = `/accedi?ritorno=${encodeURIComponent(req.path)}`;
    next();
  });
  router.use(councilLookPages(ctx));
  router.use(spid.pages);
  router.use(
    myPositionsPages(ctx, {
      identityOf: async (req) => {
        const session = await spid.sessionOf(req);
        return session ? { fiscalCode: session.fiscalCode, name: session.name } : null;
      },
      loginPath: "/accedi?ritorno=",
    }),
  );
  router.use(async (req, res, next) => {
    // The header shows how many notices wait in the cart on every page.
    const cart = await viewCart(ctx.checkout, cartIdOf(req)).catch(() => ({ items: [] }));
    res.locals.cartCount = cart.items.length;
    next();
  });
  router.use(catalogPages(ctx));
  router.use(cartPages(ctx));
  router.use(payNoticePages(ctx));
  router.use(payLinkPages(ctx));
  router.use(downloadPages(ctx));
  router.use(councilPaymentPages(ctx));
  router.use(adhesionPages(ctx));
  router.get(["/accessibilita", "/privacy"], (req, res) => {
    res.render(`citizen/views/${req.path === "/privacy" ? "privacy" : "accessibility"}`, {
      title: req.path === "/privacy" ? "Informativa privacy" : "Dichiarazione di accessibilità",
    });
  });
  // Unknown pages get the portal's own 404 page (JSON clients still get problem+json).
  router.get(/.*/, (req, _res, next) =>
    next(req.accepts(["html", "json"]) === "html" ? new AppError("NOT_FOUND", "Pagina non trovata", 404) : undefined),
  );
  router.use(htmlErrors);
  return router;
}

/** Errors on portal pages are shown as an Italian page, not as JSON. */
const htmlErrors: ErrorRequestHandler = (err, req, res, next) => {
  if (res.headersSent || req.path.endsWith("/stato")) return next(err);
  const problem = toProblem(err, req.originalUrl);
  if (problem.status >= 500) req.log?.error({ err }, "portal page failed");
  const message =
    problem.status >= 500
      ? "Si è verificato un errore imprevisto. Riprova tra qualche minuto."
      : problem.status === 404
        ? "La pagina richiesta non esiste o non è più disponibile."
        : (problem.detail ?? problem.title);
  res.status(problem.status).render("citizen/views/error", { title: problem.title, status: problem.status, message });
};
