import { Router, type Request, type Response } from "express";
import {
  cancelGoLive,
  goLiveOverview,
  GoLiveRefused,
  revertGoLive,
  scheduleGoLive,
} from "../../server/tenancy/index.ts";
import { FormValidationError } from "../../server/platform/errors.ts";
import { italianDay } from "../../server/platform/rome-day.ts";
import { staffActor, type BackofficeContext } from "./backoffice.context.ts";
import { renderPage } from "./nav.ts";
import { goLiveCloseFormSchema, goLiveFormSchema } from "./forms.schema.ts";
import { GO_LIVE_LABELS } from "./form-labels.ts";
import { showErrors, type ShownErrors } from "../shared/form-errors.ts";

const OUTCOMES: Record<string, string> = {
  attivo: "L'ente è passato in esercizio sulla stazione di produzione.",
  programmato: "Passaggio in esercizio programmato: avverrà nel giorno scelto, dopo un nuovo controllo.",
  annullato: "Passaggio in esercizio annullato.",
  ritorno: "L'ente è tornato in collaudo sulla stazione di test.",
};

/** The day of the go-live the council runs on now (the latest switched one), if recorded. */
function liveSince(history: Array<{ state: string; effectiveOn: string }>): string | null {
  const done = history.find((h) => h.state === "DONE");
  return done ? italianDay(done.effectiveOn) : null;
}

const STATES: Record<string, string> = {
  SCHEDULED: "Programmato",
  DONE: "In esercizio",
  CANCELLED: "Annullato",
  REVERTED: "Tornato in collaudo",
};

type IpaRequest = Request<{ ipa: string }>;

/**
 * Platform admin: a council's move from the test station to production (#17 item 3): the check
 * list, the choice of station and day, the plan waiting, the way back, and the history.
 * Mounted inside platformPages (behind allow("platform.manage")).
 */
export function goLivePages(ctx: BackofficeContext): Router {
  const router = Router({ mergeParams: true });
  const { db } = ctx.deps;

  const show = async (
    req: IpaRequest,
    res: Response,
    values: { liveStationCode?: string; effectiveOn?: string; reason?: string } = {},
    shown: ShownErrors = { errors: {}, errorList: [] },
  ) => {
    const o = await goLiveOverview(db, req.params.ipa, values);
    const chosen = values.liveStationCode ?? o.stations[0]?.code;
    renderPage(res, "platform-go-live", "/backoffice/piattaforma", {
      title: `Passaggio in esercizio · ${o.tenant.name}`,
      t: o.tenant,
      v: values,
      ...shown,
      flash: OUTCOMES[String(req.query.esito ?? "")],
      checks: o.checks,
      ready: o.checks.every((c) => c.ok),
      stations: o.stations.map((s) => ({ ...s, selected: s.code === chosen })),
      planned: o.planned && { ...o.planned, day: italianDay(o.planned.effectiveOn) },
      // A live council has nothing left to check: the page says where and since when it runs
      // instead of a list whose first line ("L'ente è in collaudo") would read as missing.
      live: !o.planned && o.tenant.status === "LIVE" && { station: o.tenant.station.code, day: liveSince(o.history) },
      canPlan: !o.planned && o.tenant.status === "TEST",
      canRevert: o.tenant.status === "LIVE" && o.history.some((h) => h.state === "DONE"),
      history: o.history.map((h) => ({ ...h, day: italianDay(h.effectiveOn), stateLabel: STATES[h.state] })),
    });
  };

  router.get("/", (req: IpaRequest, res) => show(req, res));
  router.post("/", async (req: IpaRequest, res) => {
    const form = goLiveFormSchema.parse(req.body);
    try {
      const done = await scheduleGoLive(db, req.params.ipa, form, staffActor(res.locals.staff!));
      res.redirect(
        303,
        `/backoffice/piattaforma/enti/${req.params.ipa}/esercizio?esito=${done.switched ? "attivo" : "programmato"}`,
      );
    } catch (err) {
      if (!(err instanceof GoLiveRefused)) throw err;
      res.status(422);
      await show(req, res, form, showErrors(err.fieldErrors, GO_LIVE_LABELS));
    }
  });
  const close = (action: typeof cancelGoLive, outcome: string) => async (req: IpaRequest, res: Response) => {
    const form = goLiveCloseFormSchema.parse(req.body);
    try {
      await action(db, req.params.ipa, form.reason, staffActor(res.locals.staff!));
      res.redirect(303, `/backoffice/piattaforma/enti/${req.params.ipa}/esercizio?esito=${outcome}`);
    } catch (err) {
      if (!(err instanceof FormValidationError)) throw err;
      res.status(422);
      await show(req, res, { reason: form.reason }, showErrors(err.fieldErrors, GO_LIVE_LABELS));
    }
  };
  router.post("/annulla", close(cancelGoLive, "annullato"));
  router.post("/ritorno", close(revertGoLive, "ritorno"));
  return router;
}
