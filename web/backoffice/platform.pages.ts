import { Router, type Request, type Response } from "express";
import { councilGroupsState, createTenant, provisionCouncilGroups, updateStation, updateTenant } from "../../server/tenancy/index.ts";
import { AppError, FormValidationError } from "../../server/platform/errors.ts";
import { staffActor, type BackofficeContext } from "./backoffice.context.ts";
import { renderPage } from "./nav.ts";

const CREATED = "Ente creato in stato \"in attivazione\": il Nodo lo conoscerà quando sarà in collaudo o in esercizio.";
const GROUPS_CREATED = "I gruppi dell'ente sono stati creati nel sistema di identità: il suo personale ora può essere invitato.";
const GROUPS_PENDING = "Attenzione: i gruppi dell'ente nel sistema di identità sono ancora da creare, quindi per ora nessuno può essere invitato. Usa «Crea i gruppi nel sistema di identità» qui sotto.";

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
    const [intermediaries, tenants] = await Promise.all([
      db.client.intermediary.findMany({ include: { stations: { orderBy: { code: "asc" } } }, orderBy: { name: "asc" } }),
      db.client.tenant.findMany({ include: { station: { select: { code: true } } }, orderBy: { name: "asc" } }),
    ]);
    renderPage(res, "platform", "/backoffice/piattaforma", { title: "Piattaforma", intermediaries, tenants });
  });

  const showNewTenant = async (res: Response, values: Record<string, unknown> = {}, errors: Record<string, string> = {}) => {
    const stations = await db.client.station.findMany({ where: { enabled: true }, orderBy: { code: "asc" }, select: { code: true, environment: true, intermediary: { select: { name: true } } } });
    const used = await db.client.tenant.findMany({ select: { segregationCode: true }, orderBy: { segregationCode: "asc" } });
    renderPage(res, "platform-tenant-new", "/backoffice/piattaforma", {
      title: "Nuovo ente",
      v: values,
      errors,
      stations: stations.map((st) => ({ ...st, selected: st.code === values.stationCode })),
      usedSegregation: [...new Set(used.map((u) => u.segregationCode))].join(", "),
    });
  };
  router.get("/enti/nuovo", (_req, res) => showNewTenant(res));
  router.post("/enti", async (req, res) => {
    const b = req.body as Record<string, string>;
    try {
      const created = await createTenant(db, { fiscalCode: b.fiscalCode ?? "", ipaCode: b.ipaCode ?? "", name: b.name ?? "", stationCode: b.stationCode ?? "", segregationCode: b.segregationCode ?? "", cbill: b.cbill, postalAccount: b.postalAccount, contactEmail: b.contactEmail }, staffActor(res.locals.staff!));
      // The council is committed; its groups come after, and their failure must not undo it.
      const grouped = await provisionCouncilGroups(groupDeps, created, staffActor(res.locals.staff!)).then(
        () => true,
        (err: unknown) => (req.log?.warn({ err, ipaCode: created.ipaCode }, "council onboarded, its realm groups were not created"), false),
      );
      res.redirect(303, `/backoffice/piattaforma/enti/${created.ipaCode}?creato=1${grouped ? "" : "&gruppi=0"}`);
    } catch (err) {
      if (!(err instanceof FormValidationError)) throw err;
      res.status(422);
      await showNewTenant(res, b, err.fieldErrors);
    }
  });

  const showStation = async (req: Request<{ code: string }>, res: Response, errors: Record<string, string> = {}, values?: Record<string, unknown>, flash?: string) => {
    const station = await db.client.station.findUnique({ where: { code: req.params.code }, include: { intermediary: { select: { name: true } }, tenants: { select: { name: true, ipaCode: true, status: true }, orderBy: { name: "asc" } } } });
    if (!station) throw new AppError("NOT_FOUND", "Stazione non trovata", 404);
    renderPage(res, "platform-station", "/backoffice/piattaforma", {
      title: `Stazione ${station.code}`,
      st: station,
      v: values ?? { ...station, allowedSources: station.allowedSources.join("\n") },
      errors,
      flash,
    });
  };
  router.get("/stazioni/:code", (req: Request<{ code: string }>, res) => showStation(req, res));
  router.post("/stazioni/:code", async (req: Request<{ code: string }>, res) => {
    const b = req.body as Record<string, string>;
    try {
      await updateStation(db, req.params.code, {
        description: b.description,
        enabled: b.enabled === "on",
        clientCertFingerprint: b.clientCertFingerprint ?? "",
        newSubscriptionKey: b.newSubscriptionKey,
        removeSubscriptionKey: b.removeSubscriptionKey === "on",
        allowedSources: (b.allowedSources ?? "").split(/[\s,]+/).filter(Boolean),
      }, staffActor(res.locals.staff!));
      await showStation(req, res, {}, undefined, "Protezioni della stazione aggiornate: valgono entro pochi secondi.");
    } catch (err) {
      if (!(err instanceof FormValidationError)) throw err;
      res.status(422);
      await showStation(req, res, err.fieldErrors, { ...b, enabled: b.enabled === "on" });
    }
  });

  const findTenant = async (ipaCode: string) => {
    const tenant = await db.client.tenant.findUnique({ where: { ipaCode }, include: { station: { select: { code: true } }, intermediary: { select: { name: true, fiscalCode: true } } } });
    if (!tenant) throw new AppError("NOT_FOUND", "Ente non trovato", 404);
    return tenant;
  };
  const showTenant = async (req: Request<{ ipa: string }>, res: Response, values?: Record<string, unknown>, errors: Record<string, string> = {}, flash?: string, notice: { alert?: string; warning?: string } = {}) => {
    const tenant = await findTenant(req.params.ipa);
    const v = values ?? { ...tenant, logoUrl: (tenant.branding as { logoUrl?: string }).logoUrl ?? "" };
    const groups = await councilGroupsState(ctx.realm, tenant.ipaCode);
    renderPage(res, "platform-tenant", "/backoffice/piattaforma", {
      title: tenant.name,
      t: tenant,
      v,
      errors,
      flash,
      ...notice,
      groups: { ...groups, complete: groups.state === "complete", unknown: groups.state === "unknown", missing: groups.state === "incomplete" ? groups.missing : [] },
      statuses: ["ONBOARDING", "TEST", "LIVE", "SUSPENDED"].map((s) => ({ value: s, selected: s === v.status })),
    });
  };
  router.get("/enti/:ipa", (req: Request<{ ipa: string }>, res) => {
    const created = req.query.creato ? `${CREATED} ${req.query.gruppi === "0" ? "" : GROUPS_CREATED}`.trim() : req.query.gruppi === "1" ? GROUPS_CREATED : undefined;
    return showTenant(req, res, undefined, {}, created, { warning: req.query.creato && req.query.gruppi === "0" ? GROUPS_PENDING : undefined });
  });
  router.post("/enti/:ipa/gruppi", async (req: Request<{ ipa: string }>, res) => {
    const tenant = await findTenant(req.params.ipa);
    try {
      await provisionCouncilGroups(groupDeps, tenant, staffActor(res.locals.staff!));
      res.redirect(303, `/backoffice/piattaforma/enti/${tenant.ipaCode}?gruppi=1`);
    } catch (err) {
      if (!(err instanceof AppError) || err.status < 409) throw err;
      if (err.status >= 500) req.log?.warn({ err, cause: err.details?.cause }, "creating a council's realm groups failed");
      res.status(err.status);
      await showTenant(req, res, undefined, {}, undefined, { alert: err.message });
    }
  });
  router.post("/enti/:ipa", async (req: Request<{ ipa: string }>, res) => {
    const b = req.body as Record<string, string>;
    try {
      await updateTenant(db, req.params.ipa, { name: b.name ?? "", status: b.status as never, segregationCode: b.segregationCode ?? "", cbill: b.cbill, contactEmail: b.contactEmail, logoUrl: b.logoUrl }, staffActor(res.locals.staff!));
      await showTenant(req, res, undefined, {}, "Dati dell'ente aggiornati.");
    } catch (err) {
      if (!(err instanceof FormValidationError)) throw err;
      res.status(422);
      await showTenant(req, res, b, err.fieldErrors);
    }
  });
  return router;
}
