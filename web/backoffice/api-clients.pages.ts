import { Router, type Request, type Response } from "express";
import {
  API_CLIENT_ROLE_LABELS,
  API_CLIENT_ROLE_NAMES,
  createApiClient,
  listApiClients,
  revokeApiClient,
  rotateApiClientSecret,
  type ApiClientDeps,
  type ApiClientRole,
} from "../../server/api/clients/index.ts";
import { AppError, FormValidationError } from "../../server/platform/errors.ts";
import { listWebhookEndpoints } from "../../server/webhooks/index.ts";
import { staffActor, type BackofficeContext } from "./backoffice.context.ts";
import { allow } from "./guards.ts";
import { renderPage } from "./nav.ts";
import { apiClientFormSchema } from "./forms.schema.ts";
import { showErrors, type ShownErrors } from "../shared/form-errors.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LABELS = {
  name: { label: "Nome", id: "name" },
  roles: { label: "Autorizzazioni", id: "roles" },
  returnUrlPrefixes: { label: "Indirizzi di ritorno ammessi", id: "prefixes" },
};

/**
 * A council's API clients (the credentials its systems use for `/api/v1`): list, create, rotate
 * the secret, revoke. Tenant admins only (tenant.configure), every change audited. A secret is
 * shown once, on the page answering the create or rotate request, and never stored by PontePA.
 */
export function apiClientPages(ctx: BackofficeContext): Router {
  const router = Router({ mergeParams: true });
  const deps: ApiClientDeps = {
    db: ctx.deps.db,
    realm: ctx.apiClientsRealm,
    logger: ctx.deps.logger,
    apiAudience: ctx.deps.config.OIDC_API_AUDIENCE,
    production: ctx.deps.config.NODE_ENV === "production",
  };
  const base = (res: Response) => `/backoffice/enti/${res.locals.tenant!.ipaCode}/client-api`;
  const clientIdParam = (req: Request) => {
    const id = String(req.params.clientId);
    if (!UUID.test(id)) throw new AppError("NOT_FOUND", "Client API non trovato", 404);
    return id;
  };

  const show = async (
    res: Response,
    extra: {
      values?: { name?: string; roles?: string[]; prefixes?: string[] };
      shown?: ShownErrors;
      secret?: { clientId: string; secret: string; rotated: boolean };
      flash?: string;
    } = {},
  ) => {
    const clients = await listApiClients(ctx.deps.db, res.locals.tenant!.id);
    // The webhook endpoints each client registered through the API.
    const endpoints = await listWebhookEndpoints(ctx.deps.db, res.locals.tenant!.id);
    const chosen = new Set(extra.values?.roles ?? ["read"]);
    renderPage(res, "api-clients", base(res), {
      title: "Client API",
      clients: clients.map((c) => ({
        ...c,
        roleLabels: c.roles.map((r) => API_CLIENT_ROLE_LABELS[r as ApiClientRole] ?? r),
        webhooks: endpoints.filter((e) => e.apiClientId === c.clientId).map((e) => ({ id: e.id, url: e.url })),
      })),
      webhookHref: `/backoffice/enti/${res.locals.tenant!.ipaCode}/webhook`,
      roleChoices: API_CLIENT_ROLE_NAMES.map((role) => ({
        role,
        label: API_CLIENT_ROLE_LABELS[role],
        checked: chosen.has(role),
      })),
      issuer: ctx.deps.config.OIDC_ISSUER_URL,
      listHref: base(res),
      v: { name: extra.values?.name, prefixes: (extra.values?.prefixes ?? []).join("\n") },
      secret: extra.secret,
      flash: extra.flash,
      ...(extra.shown ?? { errors: {}, errorList: [] }),
    });
  };

  router.get("/client-api", allow("tenant.configure"), async (_req, res) => show(res));

  router.post("/client-api", allow("tenant.configure"), async (req, res) => {
    const b = apiClientFormSchema.parse(req.body);
    const tenant = res.locals.tenant!;
    try {
      const created = await createApiClient(
        deps,
        { id: tenant.id, ipaCode: tenant.ipaCode },
        { name: b.name, roles: b.roles, returnUrlPrefixes: b.prefixes },
        staffActor(res.locals.staff!),
      );
      await show(res, { secret: { clientId: created.clientId, secret: created.secret, rotated: false } });
    } catch (err) {
      if (!(err instanceof FormValidationError)) throw err;
      res.status(422);
      await show(res, {
        values: { name: b.name, roles: b.roles, prefixes: b.prefixes },
        shown: showErrors(err.fieldErrors, LABELS),
      });
    }
  });

  router.post("/client-api/:clientId/segreto", allow("tenant.configure"), async (req, res) => {
    const rotated = await rotateApiClientSecret(
      deps,
      res.locals.tenant!.id,
      clientIdParam(req),
      staffActor(res.locals.staff!),
    );
    await show(res, { secret: { ...rotated, rotated: true } });
  });

  router.post("/client-api/:clientId/revoca", allow("tenant.configure"), async (req, res) => {
    await revokeApiClient(deps, res.locals.tenant!.id, clientIdParam(req), staffActor(res.locals.staff!));
    await show(res, { flash: "Client revocato: le sue credenziali e i token già emessi non sono più accettati." });
  });
  return router;
}
