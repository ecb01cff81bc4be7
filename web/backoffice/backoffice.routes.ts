import express, { Router, type ErrorRequestHandler } from "express";
import type { Deps } from "../../server/platform/deps.ts";
import { toProblem } from "../../server/platform/http/problem.ts";
import { AppError } from "../../server/platform/errors.ts";
import { can, RealmAdmin, StaffOidc, StaffSessions } from "../../server/identity/staff/index.ts";
import { loadTaxonomy } from "../../server/catalog/index.ts";
import { createPagopaRegistryClient } from "../../server/nodo/backoffice/index.ts";
import type { BackofficeContext } from "./backoffice.context.ts";
import { allow, requireCsrf, requireStaff, tenantGuard } from "./guards.ts";
import { authRoutes } from "./auth.routes.ts";
import { homePages } from "./home.pages.ts";
import { positionPages } from "./positions.pages.ts";
import { paymentTypePages } from "./payment-types.pages.ts";
import { accountPages } from "./accounts.pages.ts";
import { staffPages } from "./staff.pages.ts";
import { paymentPages } from "./payments.pages.ts";
import { auditPages } from "./audit.pages.ts";
import { importPages } from "./imports.pages.ts";
import { printRunPages } from "./print-runs.pages.ts";
import { reconciliationPages } from "./reconciliation.pages.ts";
import { reconciliationSectionPages } from "./reconciliation-section.pages.ts";
import { treasuryJournalPages } from "./treasury-journals.pages.ts";
import { webhookPages } from "./webhooks.pages.ts";
import { preproductionPages } from "./preproduction.pages.ts";
import { apiClientPages } from "./api-clients.pages.ts";
import { standInPages } from "./stand-in.pages.ts";
import { RealmApiClients } from "../../server/api/clients/index.ts";
import { helpdeskPages } from "./helpdesk.pages.ts";
import { platformPages } from "./platform.pages.ts";
import { adhesionPages } from "./adhesion.pages.ts";
import { adhesionActionPages } from "./adhesion-actions.pages.ts";
import { bufferedMultipart } from "../shared/buffered-upload.ts";
import { MAX_LETTER_BYTES } from "../../server/tenancy/index.ts";
import { councilSettingsPages } from "./council-settings.pages.ts";
import { serviceCataloguePages } from "./service-catalogue.pages.ts";
import { errorTitle } from "../shared/error-titles.ts";

export function createBackofficeContext(deps: Deps, overrides: Partial<BackofficeContext> = {}): BackofficeContext {
  const { config } = deps;
  const base = config.PUBLIC_BASE_URL.replace(/\/+$/, "");
  return {
    deps,
    sessions: new StaffSessions(deps.redis, config.QUEUE_PREFIX, {
      secret: config.STAFF_SESSION_SECRET,
      idleSeconds: config.STAFF_SESSION_IDLE_MINUTES * 60,
      maxSeconds: config.STAFF_SESSION_MAX_HOURS * 3600,
    }),
    oidc: new StaffOidc(
      {
        issuer: config.OIDC_ISSUER_URL,
        clientId: config.OIDC_BACKOFFICE_CLIENT_ID,
        clientSecret: config.OIDC_BACKOFFICE_CLIENT_SECRET,
        redirectUri: `${base}/backoffice/auth/callback`,
        postLogoutRedirectUri: `${base}/backoffice/`,
      },
      deps.redis,
      config.QUEUE_PREFIX,
    ),
    taxonomy: loadTaxonomy(config),
    secureCookies: base.startsWith("https:"),
    realm: new RealmAdmin({
      issuer: config.OIDC_ISSUER_URL,
      clientId: config.OIDC_ADMIN_CLIENT_ID,
      clientSecret: config.OIDC_ADMIN_CLIENT_SECRET,
    }),
    apiClientsRealm: new RealmApiClients({
      issuer: config.OIDC_ISSUER_URL,
      clientId: config.OIDC_ADMIN_CLIENT_ID,
      clientSecret: config.OIDC_ADMIN_CLIENT_SECRET,
    }),
    invitationReturn: { clientId: config.OIDC_BACKOFFICE_CLIENT_ID, redirectUri: `${base}/backoffice/` },
    pagopaRegistry: createPagopaRegistryClient({
      baseUrl: config.PAGOPA_BACKOFFICE_URL,
      subscriptionKey: config.PAGOPA_BACKOFFICE_SUBSCRIPTION_KEY,
      timeoutMs: config.PAGOPA_BACKOFFICE_TIMEOUT_MS,
    }),
    ...overrides,
  };
}

/**
 * The back-office under /backoffice: staff log in through the realm; then every route sits
 * behind the session, the session-bound CSRF token and, for a council's pages, the tenant guard
 * (`/enti/:ipa`) plus the route's own permission. Server-rendered, Italian.
 */
export function backofficeRoutes(ctx: BackofficeContext): Router {
  const router = Router();
  router.use(express.urlencoded({ extended: true, limit: "256kb" }));
  router.use(authRoutes(ctx));
  router.use(requireStaff(ctx));
  // The adhesion board's uploads (signed letter, bulk CSV, IPA registry) are small: parsed whole
  // before the CSRF check reads their _csrf, and only for staff who may drive adhesions.
  const adhesionUploads = bufferedMultipart(MAX_LETTER_BYTES);
  router.use("/assistenza/adesioni", (req, res, next) =>
    can(res.locals.staff!.principal, "helpdesk.write") ? adhesionUploads(req, res, next) : next(),
  );
  router.use(requireCsrf);

  router.use(homePages(ctx));
  router.use("/assistenza/adesioni", allow("helpdesk.read"), adhesionActionPages(ctx), adhesionPages(ctx));
  router.use("/assistenza", allow("helpdesk.read"), helpdeskPages(ctx));
  router.use("/piattaforma", allow("platform.manage"), platformPages(ctx));

  const tenant = Router({ mergeParams: true });
  tenant.use(positionPages(ctx));
  tenant.use(paymentPages(ctx));
  tenant.use(serviceCataloguePages(ctx)); // before /tipi-pagamento/:code
  tenant.use(paymentTypePages(ctx));
  tenant.use(accountPages(ctx));
  tenant.use(staffPages(ctx));
  tenant.use(auditPages(ctx));
  tenant.use(importPages(ctx));
  tenant.use(printRunPages(ctx));
  tenant.use(reconciliationPages(ctx));
  tenant.use(reconciliationSectionPages(ctx));
  tenant.use(treasuryJournalPages(ctx));
  tenant.use(webhookPages(ctx));
  tenant.use(preproductionPages(ctx));
  tenant.use(apiClientPages(ctx));
  tenant.use(standInPages(ctx));
  tenant.use(councilSettingsPages(ctx));
  router.use("/enti/:ipa", tenantGuard(ctx), tenant);

  router.use((req, _res, next) => next(new AppError("NOT_FOUND", "Pagina non trovata", 404)));
  router.use(htmlErrors);
  return router;
}

/** Errors on back-office pages are an Italian page; fetch/JSON callers get problem+json. */
const htmlErrors: ErrorRequestHandler = (err, req, res, next) => {
  if (res.headersSent || req.accepts(["html", "json"]) !== "html") return next(err);
  const problem = toProblem(err, req.originalUrl);
  if (problem.status >= 500) req.log?.error({ err }, "back-office page failed");
  const retryAfter = err instanceof AppError ? err.details?.retryAfter : undefined;
  if (retryAfter) res.set("Retry-After", String(retryAfter));
  const message =
    problem.status >= 500
      ? "Si è verificato un errore imprevisto. Riprova tra qualche minuto."
      : problem.status === 404
        ? "La pagina o l'elemento richiesto non esiste."
        : (problem.detail ?? problem.title);
  res.status(problem.status).render("backoffice/views/error", {
    layout: "backoffice",
    // Staff see what went wrong by name; the citizen portal keeps status titles, so a title
    // never tells an anonymous visitor more than its uniform message does.
    title: problem.status === 403 ? "Accesso negato" : errorTitle(problem),
    status: problem.status,
    message,
  });
};
