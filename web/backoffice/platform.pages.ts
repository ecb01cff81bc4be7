import { Router, type Request, type Response } from "express";
import {
  councilGroupsState,
  createTenant,
  getStation,
  getTenantSettings,
  newTenantChoices,
  platformOverview,
  provisionCouncilGroups,
  updateStation,
  updateTenant,
  type TenantUpdate,
} from "../../server/tenancy/index.ts";
import { AppError, FormValidationError } from "../../server/platform/errors.ts";
import { staffActor, type BackofficeContext } from "./backoffice.context.ts";
import { renderPage } from "./nav.ts";
import { goLivePages } from "./go-live.pages.ts";
import { registryAlignmentPages } from "./registry-alignment.pages.ts";
import { newTenantFormSchema, stationFormSchema, tenantFormSchema } from "./forms.schema.ts";
import { NEW_TENANT_LABELS, STATION_LABELS, TENANT_LABELS } from "./form-labels.ts";
import { showErrors, type ShownErrors } from "../shared/form-errors.ts";

const CREATED = 'Ente creato in stato "in attivazione": il Nodo lo conoscerà quando sarà in collaudo o in esercizio.';
const GROUPS_CREATED =
  "I gruppi dell'ente sono stati creati nel sistema di identità: il suo personale ora può essere invitato.";
const GROUPS_PENDING =
  "Attenzione: i gruppi dell'ente nel sistema di identità sono ancora da creare, quindi per ora nessuno può essere invitato. Usa «Crea i gruppi nel sistema di identità» qui sotto.";

/** The statuses the registry form offers from each status (see updateTenant). */
const STATUS_MOVES: Record<string, string[]> = {
  ONBOARDING: ["ONBOARDING", "TEST", "SUSPENDED"],
  TEST: ["ONBOARDING", "TEST", "SUSPENDED"],
  LIVE: ["LIVE", "SUSPENDED"],
  SUSPENDED: ["ONBOARDING", "TEST", "LIVE", "SUSPENDED"],
};

/**
 * Platform admin (mounted behind allow("platform.manage")): councils, the intermediary and its
 * stations. Onboarding a council also creates its groups in the realm; when the realm cannot be
 * reached the council is created anyway and its page offers to create the groups later.
 */
export function platformPages(ctx: BackofficeContext): Router {
  const router = Router();
  const { db } = ctx.deps;
  const groupDeps = { db, realm: ctx.realm };

  router.get("/", async (_req, res) => {
    const { intermediaries, tenants } = await platformOverview(db);
    renderPage(res, "platform", "/backoffice/piattaforma", { title: "Piattaforma", intermediaries, tenants });
  });

  const showNewTenant = async (
    res: Response,
    values: Record<string, unknown> = {},
    shown: ShownErrors = { errors: {}, errorList: [] },
  ) => {
    const { stations, usedSegregationCodes } = await newTenantChoices(db);
    renderPage(res, "platform-tenant-new", "/backoffice/piattaforma", {
      title: "Nuovo ente",
      v: values,
      ...shown,
      stations: stations.map((st) => ({ ...st, selected: st.code === values.stationCode })),
      usedSegregation: usedSegregationCodes.join(", "),
    });
  };
  router.get("/enti/nuovo", (_req, res) => showNewTenant(res));
  router.post("/enti", async (req, res) => {
    const b = newTenantFormSchema.parse(req.body);
    try {
      const created = await createTenant(db, b, staffActor(res.locals.staff!));
      // The council is committed; its groups come after, and their failure must not undo it.
      const grouped = await provisionCouncilGroups(groupDeps, created, staffActor(res.locals.staff!)).then(
        () => true,
        (err: unknown) => (
          req.log?.warn({ err, ipaCode: created.ipaCode }, "council onboarded, its realm groups were not created"),
          false
        ),
      );
      res.redirect(303, `/backoffice/piattaforma/enti/${created.ipaCode}?creato=1${grouped ? "" : "&gruppi=0"}`);
    } catch (err) {
      if (!(err instanceof FormValidationError)) throw err;
      res.status(422);
      await showNewTenant(res, b, showErrors(err.fieldErrors, NEW_TENANT_LABELS));
    }
  });

  const showStation = async (
    req: Request<{ code: string }>,
    res: Response,
    shown: ShownErrors = { errors: {}, errorList: [] },
    values?: Record<string, unknown>,
    flash?: string,
  ) => {
    const station = await getStation(db, req.params.code);
    renderPage(res, "platform-station", "/backoffice/piattaforma", {
      title: `Stazione ${station.code}`,
      st: station,
      v: values ?? { ...station, allowedSources: station.allowedSources.join("\n") },
      ...shown,
      flash,
    });
  };
  router.get("/stazioni/:code", (req: Request<{ code: string }>, res) => showStation(req, res));
  router.post("/stazioni/:code", async (req: Request<{ code: string }>, res) => {
    const b = stationFormSchema.parse(req.body);
    try {
      await updateStation(db, req.params.code, b, staffActor(res.locals.staff!));
      await showStation(
        req,
        res,
        undefined,
        undefined,
        "Protezioni della stazione aggiornate: valgono entro pochi secondi.",
      );
    } catch (err) {
      if (!(err instanceof FormValidationError)) throw err;
      res.status(422);
      await showStation(req, res, showErrors(err.fieldErrors, STATION_LABELS), {
        ...b,
        allowedSources: b.allowedSources.join("\n"),
      });
    }
  });

  const findTenant = (ipaCode: string) => getTenantSettings(db, ipaCode);
  const showTenant = async (
    req: Request<{ ipa: string }>,
    res: Response,
    values?: Record<string, unknown>,
    shown: ShownErrors = { errors: {}, errorList: [] },
    flash?: string,
    notice: { alert?: string; warning?: string } = {},
  ) => {
    const tenant = await findTenant(req.params.ipa);
    const v = values ?? { ...tenant, logoUrl: (tenant.branding as { logoUrl?: string }).logoUrl ?? "" };
    const groups = await councilGroupsState(ctx.realm, tenant.ipaCode);
    renderPage(res, "platform-tenant", "/backoffice/piattaforma", {
      title: tenant.name,
      t: tenant,
      v,
      ...shown,
      flash,
      ...notice,
      groups: {
        ...groups,
        complete: groups.state === "complete",
        unknown: groups.state === "unknown",
        missing: groups.state === "incomplete" ? groups.missing : [],
      },
      // Going live and leaving live have their own page (go-live.pages.ts): not offered here.
      statuses: STATUS_MOVES[tenant.status]!.map((s) => ({ value: s, selected: s === v.status })),
    });
  };
  router.use("/enti/:ipa/esercizio", goLivePages(ctx));
  router.use("/allineamento", registryAlignmentPages(ctx));
  router.get("/enti/:ipa", (req: Request<{ ipa: string }>, res) => {
    const created = req.query.creato
      ? `${CREATED} ${req.query.gruppi === "0" ? "" : GROUPS_CREATED}`.trim()
      : req.query.gruppi === "1"
        ? GROUPS_CREATED
        : undefined;
    return showTenant(req, res, undefined, undefined, created, {
      warning: req.query.creato && req.query.gruppi === "0" ? GROUPS_PENDING : undefined,
    });
  });
  router.post("/enti/:ipa/gruppi", async (req: Request<{ ipa: string }>, res) => {
    const tenant = await findTenant(req.params.ipa);
    try {
      await provisionCouncilGroups(groupDeps, tenant, staffActor(res.locals.staff!));
      res.redirect(303, `/backoffice/piattaforma/enti/${tenant.ipaCode}?gruppi=1`);
    } catch (err) {
      if (!(err instanceof AppError) || err.status < 409) throw err;
      if (err.status >= 500)
        req.log?.warn({ err, cause: err.details?.cause }, "creating a council's realm groups failed");
      res.status(err.status);
      await showTenant(req, res, undefined, undefined, undefined, { alert: err.message });
    }
  });
  router.post("/enti/:ipa", async (req: Request<{ ipa: string }>, res) => {
    const b = tenantFormSchema.parse(req.body);
    try {
      await updateTenant(
        db,
        req.params.ipa,
        { ...b, status: b.status as TenantUpdate["status"] },
        staffActor(res.locals.staff!),
      );
      await showTenant(req, res, undefined, undefined, "Dati dell'ente aggiornati.");
    } catch (err) {
      if (!(err instanceof FormValidationError)) throw err;
      res.status(422);
      await showTenant(req, res, b, showErrors(err.fieldErrors, TENANT_LABELS));
    }
  });
  return router;
}
